/// A reply to one command: success with a value, or the error message `fail2ban-client` prints.
///
/// fail2ban answers `(0, value)` or `(1, exception)`; its client prints `str(exception)` on
/// stdout, except for a few exception types it rewords (unknown jail, duplicate jail, index
/// errors). Portcullis sends the final wording in `.failure`, so the client never has to guess
/// an exception type: build failures with the constructors below to get fail2ban's wording.
public enum ControlResponse: Sendable, Equatable {
    case ok(ControlValue)
    /// The message the client prints on stdout (and exits 255).
    case failure(String)

    /// `status nosuch`, `get nosuch bantime`, …: "Sorry but the jail 'nosuch' does not exist".
    public static func unknownJail(_ name: String) -> ControlResponse {
        .failure("Sorry but the jail '\(name)' does not exist")
    }

    /// `add sshd` while `sshd` exists: "The jail 'sshd' already exists".
    public static func duplicateJail(_ name: String) -> ControlResponse {
        .failure("The jail '\(name)' already exists")
    }

    /// A command with too few words (`get sshd`): fail2ban's IndexError wording.
    public static var invalidCommand: ControlResponse { .failure("Sorry but the command is invalid") }

    /// An unknown first word (`foo`): "Invalid command".
    public static var unknownCommand: ControlResponse { .failure("Invalid command") }

    /// `get <jail> <unknown>`.
    public static var unknownGetCommand: ControlResponse {
        .failure("Invalid command (no get action or not yet implemented)")
    }

    /// `set <jail> <unknown> …`.
    public static func unknownSetCommand(_ word: String) -> ControlResponse {
        .failure("Invalid command \(PythonText.repr(string: word)) (no set action or not yet implemented)")
    }

    /// `status <jail> <flavor> <extra>`.
    public static var invalidStatusCommand: ControlResponse { .failure("Invalid command (no status)") }

    /// A failure fail2ban raises as a `KeyError` (unknown action name, …): Python prints the
    /// message quoted, e.g. `'Invalid Action name: nosuch'`.
    public static func keyError(_ message: String) -> ControlResponse {
        .failure(PythonText.repr(string: message))
    }
}
