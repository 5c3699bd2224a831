#if canImport(Glibc)
import Glibc
#endif
import PortcullisClient

/// Why the control socket could not be opened, with the path and the failing call, so the
/// administrator learns what to remove or which option to use.
public enum ControlListenerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A server already accepts connections on the path.
    case alreadyRunning(path: String)
    /// A socket file is left at the path but nothing answers on it, and `-x` was not given.
    case staleSocket(path: String)
    /// Something that is not a socket sits at the path; it is never removed.
    case notASocket(path: String)
    /// The path does not fit in a Unix socket address.
    case pathTooLong(path: String)
    /// A system call failed.
    case system(call: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case .alreadyRunning(let path):
            return "Server already running: a server answers on \(path)"
        case .staleSocket(let path):
            return "Fail2ban seems to be in unexpected state (not running but the socket exists): \(path). "
                + "Remove it, or start with -x to remove it"
        case .notASocket(let path):
            return "\(path) exists and is not a socket; refusing to replace it"
        case .pathTooLong(let path):
            return "socket path too long for a Unix socket (\(path.utf8.count) bytes, at most "
                + "\(UnixSocketAddress.pathCapacity - 1)): \(path)"
        case let .system(call, path, code):
            return "\(call) \(path): " + String(cString: strerror(code))
        }
    }
}
