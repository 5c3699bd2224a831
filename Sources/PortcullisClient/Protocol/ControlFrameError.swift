/// Why bytes read from the control socket are not a valid frame: what was wrong, and where.
public enum ControlFrameError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The header announced more than the reader accepts.
    case tooLarge(length: Int, limit: Int)
    /// The header announced an empty payload.
    case empty
    /// Fewer bytes than the header announced.
    case truncated(expected: Int, received: Int)
    /// The payload is not the protocol's JSON.
    case malformedJSON(reason: String, offset: Int)
    /// Valid JSON of the wrong shape (a request that is not a list of strings, …).
    case unexpectedShape(String)

    public var description: String {
        switch self {
        case let .tooLarge(length, limit):
            return "control frame of \(length) bytes exceeds the limit of \(limit) bytes"
        case .empty:
            return "empty control frame"
        case let .truncated(expected, received):
            return "control frame truncated: \(received) of \(expected) bytes"
        case let .malformedJSON(reason, offset):
            return "malformed control frame JSON at byte \(offset): \(reason)"
        case let .unexpectedShape(what):
            return "unexpected control frame content: \(what)"
        }
    }
}
