/// One value in fail2ban's client→server command stream (what `fail2ban-client -d` prints).
public indirect enum StreamValue: Sendable, Equatable, Encodable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([StreamValue])

    /// Python's `repr`, so `portcullis config --dump` can be compared line by line with `fail2ban-client -d`.
    public var pythonRepr: String {
        switch self {
        case .string(let s): return PythonRepr.string(s)
        case .int(let i): return String(i)
        case .bool(let b): return b ? "True" : "False"
        case .list(let items): return "[" + items.map(\.pythonRepr).joined(separator: ", ") + "]"
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .bool(let b): try c.encode(b)
        case .list(let l): try c.encode(l)
        }
    }
}

/// A command line of the stream: `["set", "sshd", "maxretry", 5]`.
public typealias StreamCommand = [StreamValue]

extension StreamValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
}
