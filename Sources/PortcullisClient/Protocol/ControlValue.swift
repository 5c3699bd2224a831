/// The values the server returns, shaped like fail2ban's Python return values so the beautifier
/// can format them exactly as `fail2ban-client` does.
///
/// fail2ban's transmitter answers with plain Python objects (`None`, `bool`, `int`, `float`,
/// `str`, lists, tuples and dicts) and its client prints them either through the beautifier or
/// with Python's `str()`. Keeping the same shapes lets Portcullis reproduce that output byte for
/// byte. Python tuples are carried as `.list` (no output shape depends on the difference);
/// dictionaries keep their insertion order, as Python's do.
public indirect enum ControlValue: Sendable {
    /// Python's `None`.
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    /// A Python list or tuple.
    case list([ControlValue])
    /// A Python dict, in insertion order.
    case dict([(String, ControlValue)])

    /// A Python list of 2-tuples, the shape fail2ban uses for `status` replies:
    /// `.pairs([("Number of jail", 2), ("Jail list", "a, b")])`.
    public static func pairs(_ pairs: [(String, ControlValue)]) -> ControlValue {
        .list(pairs.map { .list([.string($0.0), $0.1]) })
    }

    /// A list of strings (`logpath`, `ignoreip`, `failregex`, `actions`, `banip`, …).
    public static func strings(_ items: [String]) -> ControlValue {
        .list(items.map(ControlValue.string))
    }

    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

extension ControlValue: Equatable {
    public static func == (lhs: ControlValue, rhs: ControlValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b || (a.isNaN && b.isNaN)
        case let (.string(a), .string(b)): return a == b
        case let (.list(a), .list(b)): return a == b
        case let (.dict(a), .dict(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}

extension ControlValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: ControlValue...) { self = .list(elements) }
    /// Dictionary literals keep their written order.
    public init(dictionaryLiteral elements: (String, ControlValue)...) { self = .dict(elements) }
}
