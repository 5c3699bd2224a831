#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The group names one filter can capture, each given a fixed slot once, when the filter is
/// compiled: the line engine then reads and writes fields by slot number, never by hashing a
/// name. fail2ban's well-known names always have a slot, whether a regex uses them or not.
final class FieldTable: Sendable {
    /// Names by slot.
    let names: [String]
    /// Slot by name.
    let slotOf: [String: Int]

    let mlfid: Int, nofail: Int, mlfgained: Int, mlfforget: Int, user: Int
    let fid: Int, ip4: Int, ip6: Int, dns: Int, cidr: Int

    static let wellKnown = ["mlfid", "nofail", "mlfgained", "mlfforget", "user", "fid", "ip4", "ip6", "dns", "cidr"]
    /// A table with the well-known names only (fields built without a filter).
    static let standard = FieldTable(names: [])

    init(names extra: some Sequence<String>) {
        var names = Self.wellKnown
        var slotOf: [String: Int] = [:]
        for (i, n) in names.enumerated() { slotOf[n] = i }
        for n in extra where slotOf[n] == nil {
            slotOf[n] = names.count
            names.append(n)
        }
        self.names = names
        self.slotOf = slotOf
        mlfid = 0; nofail = 1; mlfgained = 2; mlfforget = 3; user = 4
        fid = 5; ip4 = 6; ip6 = 7; dns = 8; cidr = 9
    }

    var count: Int { names.count }
}

/// One field of a match: its slot in the filter's ``FieldTable`` and its value (nil: the
/// group exists but did not participate).
struct Field {
    var slot: Int
    var value: String?
}

/// The named-group values of a match, held the way fail2ban's `fail` dictionary holds them:
/// a group that exists in the regex but did not participate is present with a nil value.
///
/// Stored as the few fields present, by slot of the filter's ``FieldTable`` (names outside
/// it, set by callers, go to a small dictionary); ``values`` builds the dictionary view on
/// demand.
public struct FailureFields: Sendable, Equatable {
    /// Shared name table of the slots.
    private(set) var table: FieldTable
    /// The fields present, in the order they were first set.
    private(set) var fields: [Field] = []
    /// Names outside the table.
    private var extra: [String: String?] = [:]
    /// `F-TUPLE_*` groups gathered per field, in group-name order.
    public var tuples: [String: [String?]] = [:]

    public init() { table = .standard }

    init(table: FieldTable, capacity: Int = 0) {
        self.table = table
        if capacity > 0 { fields.reserveCapacity(capacity) }
    }

    /// Every field by name (nil value: the group did not participate).
    public var values: [String: String?] {
        get {
            var result = extra
            for field in fields { result[table.names[field.slot]] = .some(field.value) }
            return result
        }
        set {
            fields = []
            extra = [:]
            for (name, value) in newValue { self[name] = value }
        }
    }

    /// The value of `name`, nil when absent or unset.
    public subscript(name: String) -> String? {
        get {
            if let slot = table.slotOf[name] { return self[slot: slot] }
            return extra[name] ?? nil
        }
        set {
            if let slot = table.slotOf[name] { set(slot: slot, newValue) } else { extra[name] = .some(newValue) }
        }
    }

    /// Removes `name` (absent afterwards, as `dict.pop`).
    mutating func remove(_ name: String) {
        if let slot = table.slotOf[name] { remove(slot: slot) } else { extra[name] = nil }
    }

    @inline(__always)
    private func index(of slot: Int) -> Int? {
        fields.withUnsafeBufferPointer { all in
            for i in 0..<all.count where all[i].slot == slot { return i }
            return nil
        }
    }

    /// The value in `slot`, nil when absent or unset.
    @inline(__always)
    subscript(slot slot: Int) -> String? {
        guard let i = index(of: slot) else { return nil }
        return fields[i].value
    }

    /// Whether `slot` holds a value (possibly empty).
    @inline(__always)
    func contains(value slot: Int) -> Bool {
        guard let i = index(of: slot) else { return false }
        return fields[i].value != nil
    }

    /// Whether `slot` is present (possibly without a value).
    func contains(slot: Int) -> Bool { index(of: slot) != nil }

    /// Sets `slot` (present afterwards; nil: without a value).
    @inline(__always)
    mutating func set(slot: Int, _ value: String?) {
        if let i = index(of: slot) { fields[i].value = value } else { fields.append(Field(slot: slot, value: value)) }
    }

    /// Sets `slot` to the text `bytes`, keeping the string already there when it is the same.
    mutating func set(slot: Int, bytes: UnsafeBufferPointer<UInt8>) {
        if let i = index(of: slot) {
            if let current = fields[i].value, current.isUTF8(bytes) { return }
            fields[i].value = String(decoding: bytes, as: UTF8.self)
        } else {
            fields.append(Field(slot: slot, value: String(decoding: bytes, as: UTF8.self)))
        }
    }

    /// Adds a field known to be absent.
    @inline(__always)
    mutating func append(_ field: Field) { fields.append(field) }

    /// Removes `slot` (absent afterwards).
    mutating func remove(slot: Int) {
        if let i = index(of: slot) { removeField(at: i) }
    }

    /// Fields are unordered: the last one takes the place of the removed one.
    @inline(__always)
    private mutating func removeField(at i: Int) {
        if i != fields.count - 1 { fields.swapAt(i, fields.count - 1) }
        fields.removeLast()
    }

    /// Whether `name` holds a non-empty value (Python truthiness of a captured string).
    func isTruthy(_ name: String) -> Bool { !(self[name]?.isEmpty ?? true) }

    /// Whether `slot` holds a non-empty value.
    @inline(__always)
    func isTruthy(slot: Int) -> Bool { !(self[slot: slot]?.isEmpty ?? true) }

    /// `dict.pop(slot)`: removes the slot; returns whether it held a non-empty value.
    @inline(__always)
    mutating func pop(slot: Int) -> Bool {
        guard let i = index(of: slot) else { return false }
        let truthy = !(fields[i].value?.isEmpty ?? true)
        removeField(at: i)
        return truthy
    }

    /// dict.update(other): every entry of `other` overrides, nil values included (or skipped).
    mutating func update(with other: FailureFields, skippingNil: Bool = false) {
        if other.table === table {
            for field in other.fields where !(skippingNil && field.value == nil) { set(slot: field.slot, field.value) }
            for (k, v) in other.extra where !(skippingNil && v == nil) { extra[k] = v }
        } else {
            for (k, v) in other.values where !(skippingNil && v == nil) { self[k] = v }
        }
        for (k, v) in other.tuples { tuples[k] = v }
    }

    public static func == (lhs: FailureFields, rhs: FailureFields) -> Bool {
        lhs.values == rhs.values && lhs.tuples == rhs.tuples
    }
}

extension String {
    /// Whether the string's UTF-8 is exactly `bytes` (no copy for native strings).
    @inline(__always)
    func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let same = utf8.withContiguousStorageIfAvailable({ own -> Bool in
            guard own.count == bytes.count else { return false }
            guard let a = own.baseAddress, let b = bytes.baseAddress else { return true }
            return memcmp(a, b, own.count) == 0
        }) {
            return same
        }
        return utf8.elementsEqual(bytes)
    }
}
