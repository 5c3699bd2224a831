import PortcullisActions

/// Runs one firewall program (argv, no shell) through an injectable prefix — `["nft"]`, or
/// `["ip", "netns", "exec", "NS", "nft"]` in tests — with its whole input on stdin, and turns a
/// failure into a `FirewallError` naming the command line, exit status and stderr.
struct FirewallCommand: Sendable {
    let prefix: [String]
    let timeout: Double
    /// Listing 100k elements writes megabytes; keep all of it.
    private static let runner = CommandRunner(shell: "/bin/sh", outputLimit: 1 << 30)

    init(_ prefix: [String], timeout: Double) {
        self.prefix = prefix
        self.timeout = timeout
    }

    /// Runs `prefix + arguments`; the result whatever the exit status.
    func result(_ arguments: [String], input: [UInt8]? = nil) async -> CommandResult {
        await Self.runner.run(arguments: prefix + arguments, input: input, timeout: timeout)
    }

    /// Runs and returns stdout, or throws when the exit status is not 0.
    @discardableResult
    func run(_ arguments: [String], input: [UInt8]? = nil, operation: String) async throws(FirewallError) -> String {
        let result = await result(arguments, input: input)
        guard result.succeeded else { throw error(result, arguments, input: input, operation: operation) }
        return result.stdout
    }

    func error(_ result: CommandResult, _ arguments: [String], input: [UInt8]?, operation: String) -> FirewallError {
        var line = (prefix + arguments).joined(separator: " ")
        if let input { line += " (\(input.count) bytes on stdin)" }
        return FirewallError(operation: operation, command: line, status: result.status, stderr: result.stderr,
                             timedOut: result.timedOut)
    }

    /// The sibling program of the prefix's last word: `iptables` → `iptables-restore`.
    func sibling(_ suffix: String) -> FirewallCommand {
        var words = prefix
        if let last = words.popLast() { words.append(last + suffix) }
        return FirewallCommand(words, timeout: timeout)
    }
}
