#if canImport(Glibc)
import Glibc
#endif

/// Why the client got no reply, worded as `fail2ban-client` words it (it logs these at ERROR
/// level on stderr and exits 255).
public enum ControlClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing at the socket path: "Failed to access socket path: PATH. Is fail2ban running?"
    case noServer(path: String)
    /// The socket exists but is not writable for this user.
    case permissionDenied(path: String)
    /// The socket exists but the exchange failed; `reason` is Python's `str()` of the socket
    /// error (`[Errno 111] Connection refused`, `[Errno 104] Connection reset by peer`).
    case unreachable(path: String, reason: String)
    /// No reply before the deadline.
    case timeout
    /// The server answered something that is not a valid response frame.
    case protocolError(String)

    /// The message for any command but `ping`.
    public var description: String {
        switch self {
        case .noServer(let path):
            return "Failed to access socket path: \(path). Is fail2ban running?"
        case .permissionDenied(let path):
            return "Permission denied to socket: \(path), (you must be root)"
        case .unreachable(_, let reason):
            return "[\(reason)] Unable to contact server. Is it running?"
        case .timeout:
            return "[timed out] Unable to contact server. Is it running?"
        case .protocolError(let detail):
            return "Invalid response from the server: \(detail)"
        }
    }

    /// The message fail2ban logs for `command`: `ping` reports the bare socket error
    /// (`timed out`) where other commands add "Unable to contact server. Is it running?".
    public func message(forCommand command: [String]) -> String {
        guard command.first == "ping" else { return description }
        switch self {
        case .unreachable(_, let reason): return reason
        case .timeout: return "timed out"
        default: return description
        }
    }

    /// Classifies a failed exchange the way fail2ban does: by whether the socket path exists
    /// and is writable, whatever the system call said.
    static func classify(_ failure: ControlTransportError, path: String) -> ControlClientError {
        if case .frame(let problem) = failure { return .protocolError(problem.description) }
        if access(path, F_OK) != 0 { return .noServer(path: path) }
        if access(path, W_OK) != 0 { return .permissionDenied(path: path) }
        if case .timedOut = failure { return .timeout }
        return .unreachable(path: path, reason: failure.pythonMessage)
    }
}
