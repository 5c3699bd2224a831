import PortcullisConfig
/// A failed action operation: which action and operation, the exact command line that ran, how it
/// ended and what it wrote to stderr — what an administrator needs to reproduce it by hand.
public struct ActionError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The jail the action belongs to.
    public var jail: String
    /// The action's unique name in the jail (`actname`).
    public var action: String
    /// `actionstart`, `actionban`, `actionunban`, `actionflush`, `actionstop`, `actioncheck`, …
    public var operation: String
    /// The command as run, variable preamble included; "" when none could be built.
    public var command: String
    /// Exit status (negative: killed by that signal); -1 when no command ran.
    public var status: Int32
    public var stderr: String
    public var timedOut: Bool
    /// Why, when it is not (only) the command's exit: a tag that refers to itself, a failed
    /// invariant check, an unban fail2ban would call impossible.
    public var reason: String?

    public init(jail: String, action: String, operation: String, command: String, status: Int32,
                stderr: String, timedOut: Bool, reason: String? = nil) {
        self.jail = jail
        self.action = action
        self.operation = operation
        self.command = command
        self.status = status
        self.stderr = stderr
        self.timedOut = timedOut
        self.reason = reason
    }

    /// fail2ban's "Error executing…" shape, naming everything.
    public var description: String {
        var text = "Error executing \(operation) of action '\(action)' in jail '\(jail)'"
        if let reason { text += ": \(reason)" }
        if !command.isEmpty {
            if timedOut {
                text += " -- timed out (return code: \(status))"
            } else if let killed = PythonText.killed(status: status) {
                text += " -- \(killed)"
            } else {
                text += " -- returned \(status)"
            }
            text += " -- exec: \(command)"
            let trimmed = stderr.hasSuffix("\n") ? String(stderr.dropLast()) : stderr
            if !trimmed.isEmpty { text += " -- stderr: \(PythonRepr.string(trimmed))" }
        }
        return text
    }
}
