/// The result of one shell command.
public struct CommandResult: Sendable, Equatable {
    /// The exit status; negative for a signal (`-15` after SIGTERM), as Python's `returncode`;
    /// 127 with a message in `stderr` when the shell could not be started.
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// Whether the command outlived its timeout and its process group was killed.
    public var timedOut: Bool
    /// Wall-clock seconds from start to exit.
    public var duration: Double
    /// How the daemon carried the command out itself (`"netlink"`), when no shell ran it.
    public var carriedOutBy: String?

    public init(status: Int32, stdout: String = "", stderr: String = "", timedOut: Bool = false, duration: Double = 0,
                carriedOutBy: String? = nil) {
        self.carriedOutBy = carriedOutBy
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.timedOut = timedOut
        self.duration = duration
    }

    /// Exit status 0 within the timeout.
    public var succeeded: Bool { status == 0 && !timedOut }
}
