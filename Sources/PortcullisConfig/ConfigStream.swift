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

/// Python 3 `repr()` of a `str`: how fail2ban shows strings in its dump and its logs.
public enum PythonRepr {
    public static func string(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote { out += "\\" + String(quote) }
                else if scalar.value < 0x20 || scalar.value == 0x7f { out += "\\x" + hex(scalar.value, 2) }
                else if scalar.value >= 0x80 && scalar.value < 0xa0 { out += "\\x" + hex(scalar.value, 2) }
                else { out.unicodeScalars.append(scalar) }
            }
        }
        out.append(quote)
        return out
    }

    private static func hex(_ v: UInt32, _ width: Int) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }
}
