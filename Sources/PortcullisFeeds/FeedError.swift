/// Why a fetch produced no list, with the URL or path it was about, so the warning in the log
/// says what to fix (the server's status, a firewall in the way, a file's permissions).
public struct FeedError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The server answered with a status other than 200 or 304.
        case httpStatus(Int)
        /// No complete answer within the feed's `timeout`.
        case timedOut(seconds: Double)
        /// The connection could not be made or broke (refused, DNS, TLS): the system's words.
        case connection(String)
        /// A `path` source could not be read: the system's words.
        case unreadable(String)
    }

    /// The URL or path fetched.
    public var source: String
    public var reason: Reason

    public init(source: String, reason: Reason) {
        self.source = source
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .httpStatus(let status): return "\(source): the server answered HTTP \(status) (expected 200 or 304)"
        case .timedOut(let seconds): return "\(source): no answer within \(seconds.secondsText) s (timeout)"
        case .connection(let text): return "\(source): \(text)"
        case .unreadable(let text): return "\(source): cannot read the file: \(text)"
        }
    }
}

extension Double {
    /// `30` or `2.5`: seconds as messages print them.
    var secondsText: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String((self * 1000).rounded() / 1000) }
}
