/// Where an option was written, kept for every option so errors can point at `file:line`.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
    public var description: String { "\(file):\(line)" }
}

/// An option's raw (uninterpolated) text with the place it came from.
/// `location` is nil for values that fail2ban synthesises (`fail2ban_confpath`, jail options passed on).
public struct ConfigValue: Sendable, Equatable {
    public var value: String
    public var location: SourceLocation?
    public init(_ value: String, at location: SourceLocation? = nil) {
        self.value = value
        self.location = location
    }
}

/// An insertion-ordered option table, the way Python's `dict` behaves inside ConfigParser:
/// re-assigning a key keeps its first position. Order matters for `--dump` output.
public struct OptionTable: Sendable, Equatable {
    public private(set) var names: [String] = []
    private var storage: [String: ConfigValue] = [:]

    public init() {}

    public subscript(name: String) -> ConfigValue? {
        get { storage[name] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if storage.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    public func contains(_ name: String) -> Bool { storage[name] != nil }
    public var isEmpty: Bool { names.isEmpty }
    public var count: Int { names.count }

    /// `(name, value)` pairs in order.
    public var entries: [(name: String, value: ConfigValue)] { names.map { ($0, storage[$0]!) } }

    /// Python's `dict.update`: existing names keep their place, new ones are appended.
    public mutating func update(with other: OptionTable) {
        for (name, value) in other.entries { self[name] = value }
    }
}

/// An insertion-ordered `String → String` map for resolved options (filters, actions, tags).
public struct OrderedOptions: Sendable, Equatable, Sequence {
    public private(set) var names: [String] = []
    public private(set) var values: [String: String] = [:]

    public init() {}
    public init(_ pairs: [(String, String)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public subscript(name: String) -> String? {
        get { values[name] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if values.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    public func contains(_ name: String) -> Bool { values[name] != nil }
    public var isEmpty: Bool { names.isEmpty }
    public var count: Int { names.count }

    /// Python's `{**self, **other}`.
    public func merging(_ other: OrderedOptions) -> OrderedOptions {
        var result = self
        for (k, v) in other { result[k] = v }
        return result
    }

    public func makeIterator() -> IndexingIterator<[(String, String)]> {
        names.map { ($0, values[$0]!) }.makeIterator()
    }
}
