/// What can stop the daemon or one of its commands, with the context an administrator needs
/// to fix it (the file, the jail, the command).
public enum ServerError: Error, CustomStringConvertible, Sendable {
    case configuration(String)
    case logTarget(String, String)
    case pidFile(String, String)
    case alreadyRunning(socket: String)
    case unknownJail(String)
    case jailExists(String)
    case invalidCommand(String)
    case invalidValue(option: String, value: String, reason: String)
    case store(String)
    case unsupported(String)
    /// A command the daemon will not carry out as asked, with what to do instead.
    case refused(String)

    public var description: String {
        switch self {
        case .configuration(let message): message
        case .logTarget(let target, let reason): "Unable to log to \(target): \(reason)"
        case .pidFile(let path, let reason): "Unable to write the pid file \(path): \(reason)"
        case .alreadyRunning(let socket): "Server already running (it answers on \(socket))"
        case .unknownJail(let name): "Sorry but the jail '\(name)' does not exist"
        case .jailExists(let name): "The jail '\(name)' already exists"
        case .invalidCommand(let text): "Invalid command \(text)"
        case .invalidValue(let option, let value, let reason): "Invalid value '\(value)' for \(option): \(reason)"
        case .store(let message): message
        case .unsupported(let message): message
        case .refused(let message): message
        }
    }
}
