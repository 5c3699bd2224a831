/// A firewall operation that failed: the command line that ran, how it ended and what it wrote
/// to stderr — what an administrator needs to reproduce it — or a plain message for bad input
/// (an unknown set, an unknown service name).
public struct FirewallError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What the firewall was doing: `install sshd`, `apply sshd`, `reconcile`, …
    public var operation: String
    /// The argv as run, joined with spaces; "" when no command ran.
    public var command: String
    /// Exit status (negative: killed by that signal); -1 when no command ran.
    public var status: Int32
    public var stderr: String
    public var timedOut: Bool
    /// Why, when it is not (only) a command's exit.
    public var message: String?

    public init(operation: String = "", command: String, status: Int32, stderr: String, timedOut: Bool = false,
                message: String? = nil) {
        self.operation = operation
        self.command = command
        self.status = status
        self.stderr = stderr
        self.timedOut = timedOut
        self.message = message
    }

    /// An error that is not a command's.
    public init(message: String) {
        self.init(command: "", status: -1, stderr: "", message: message)
    }

    /// The same error, naming the operation it belongs to.
    func during(_ operation: String) -> FirewallError {
        var copy = self
        if copy.operation.isEmpty { copy.operation = operation }
        return copy
    }

    public var description: String {
        var text = operation.isEmpty ? "firewall error" : "firewall \(operation) failed"
        if let message { text += ": \(message)" }
        if !command.isEmpty {
            text += timedOut ? " -- timed out (status \(status))" : " -- returned \(status)"
            text += " -- exec: \(command)"
            var trimmed = Substring(stderr)
            while trimmed.last == "\n" { trimmed = trimmed.dropLast() }
            if trimmed.count > 2000 { trimmed = trimmed.prefix(2000) + "…" }
            if !trimmed.isEmpty { text += " -- stderr: \(trimmed)" }
        }
        return text
    }
}
