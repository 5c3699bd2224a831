/// `Codable` so a `ControlValue` can travel in any encoder (logs, HTTP API, fixtures) as the
/// natural JSON shape: `null`, booleans, numbers, strings, arrays and objects.
///
/// Dict order is whatever the coder keeps; the control socket itself does not go through
/// `Codable` but through `ControlFrame`, which keeps dict order and the `int`/`double` split.
extension ControlValue: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: Key.self) {
            var entries: [(String, ControlValue)] = []
            for key in container.allKeys {
                entries.append((key.stringValue, try container.decode(ControlValue.self, forKey: key)))
            }
            self = .dict(entries)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var items: [ControlValue] = []
            while !container.isAtEnd { items.append(try container.decode(ControlValue.self)) }
            self = .list(items)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a control value (null, bool, number, string, list or dict)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .double(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .list(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .dict(let entries):
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in entries { try container.encode(value, forKey: Key(stringValue: key)) }
        }
    }
}
