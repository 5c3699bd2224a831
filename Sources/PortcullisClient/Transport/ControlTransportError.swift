#if canImport(Glibc)
import Glibc
#endif

/// A failure moving frames over a control socket, with the system call and `errno` when the
/// kernel refused, so the client can print the same `[Errno N] text` fail2ban prints.
public enum ControlTransportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The deadline passed before the exchange finished.
    case timedOut
    /// The peer closed the connection in the middle of a frame.
    case closed
    /// The socket path does not fit in `sockaddr_un`.
    case pathTooLong(String)
    /// A system call failed.
    case system(call: String, errno: Int32)
    /// The bytes received are not a valid frame.
    case frame(ControlFrameError)

    /// Python's `str()` of the matching `socket.error`: `timed out`,
    /// `[Errno 104] Connection reset by peer`, `[Errno 111] Connection refused`, ….
    public var pythonMessage: String {
        switch self {
        case .timedOut: return "timed out"
        case .closed: return Self.errnoMessage(ECONNRESET)
        case .pathTooLong: return "AF_UNIX path too long"
        case .system(_, let code): return Self.errnoMessage(code)
        case .frame(let problem): return problem.description
        }
    }

    public var description: String {
        switch self {
        case .timedOut: return "timed out"
        case .closed: return "connection closed by peer in the middle of a frame"
        case .pathTooLong(let path): return "socket path too long for a Unix socket (\(path.utf8.count) bytes): \(path)"
        case let .system(call, code): return "\(call): \(Self.errnoMessage(code))"
        case .frame(let problem): return problem.description
        }
    }

    static func errnoMessage(_ code: Int32) -> String {
        "[Errno \(code)] " + String(cString: strerror(code))
    }
}
