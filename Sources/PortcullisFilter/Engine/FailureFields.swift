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

/// Where one field's value is in the fields' text: `start` ≥ 0 a value, or one of the
/// markers (absent; present without a value).
struct Field {
    var start: Int32
    var count: Int32

    static var absent: Field { Field(start: -2, count: 0) }
    static var unset: Field { Field(start: -1, count: 0) }

    @inline(__always) var isPresent: Bool { start >= -1 }
    @inline(__always) var hasValue: Bool { start >= 0 }
}

/// The named-group values of a match, held the way fail2ban's `fail` dictionary holds them:
/// a group that exists in the regex but did not participate is present with a nil value.
///
/// Stored compactly: one entry per slot of the filter's ``FieldTable`` saying where the
/// value's bytes are in one buffer (names outside the table, set by callers, go to a small
/// dictionary). Strings are made when a value is read; ``values`` builds the dictionary view
/// on demand.
public struct FailureFields: Sendable, Equatable {
    /// Shared name table of the slots.
    private(set) var table: FieldTable
    /// By slot.
    private var fields: [Field]
    /// The values' bytes (with unused bytes left by changed values until compacted).
    private var text: [UInt8] = []
    /// Bytes of `text` no value uses.
    private var unusedCount = 0
    /// Names outside the table.
    private var extra: [String: String?] = [:]
    /// `F-TUPLE_*` groups gathered per field, in group-name order.
    public var tuples: [String: [String?]] = [:]

    public init() {
        table = .standard
        fields = Array(repeating: .absent, count: FieldTable.standard.count)
    }

    init(table: FieldTable, textCapacity: Int = 0) {
        self.table = table
        fields = Array(repeating: .absent, count: table.count)
        // Room for values that change later (a connection's next lines).
        if textCapacity > 0 { text.reserveCapacity(textCapacity + 128) }
    }

    /// Makes every slot absent, keeping the storage.
    mutating func removeAll() {
        fields.withUnsafeMutableBufferPointer { all in
            for slot in all.indices { all[slot] = .absent }
        }
        text.removeAll(keepingCapacity: true)
        unusedCount = 0
        if !extra.isEmpty { extra = [:] }
        if !tuples.isEmpty { tuples = [:] }
    }

    /// Every field by name (nil value: the group did not participate).
    public var values: [String: String?] {
        get {
            var result = extra
            for slot in fields.indices where fields[slot].isPresent {
                result[table.names[slot]] = .some(string(fields[slot]))
            }
            return result
        }
        set {
            for slot in fields.indices { fields[slot] = .absent }
            text = []
            unusedCount = 0
            extra = [:]
            for (name, value) in newValue { self[name] = value }
        }
    }

    /// The fields that hold a value, by name: what a ban keeps (its `<F-*>` tags, the store's
    /// row). Built straight from the slots, without the nil entries of `values`.
    public var setValues: [String: String] {
        var result: [String: String] = [:]
        var count = 0
        for slot in fields.indices where fields[slot].hasValue { count += 1 }
        result.reserveCapacity(count + extra.count)
        for case let (name, value?) in extra { result[name] = value }
        for slot in fields.indices where fields[slot].hasValue { result[table.names[slot]] = string(fields[slot]) }
        return result
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

    private func string(_ field: Field) -> String? {
        guard field.hasValue else { return nil }
        return text.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[Int(field.start)..<Int(field.start + field.count)]), as: UTF8.self)
        }
    }

    /// The value in `slot`, nil when absent or unset.
    subscript(slot slot: Int) -> String? { string(fields[slot]) }

    /// Whether `slot` holds a value (possibly empty).
    @inline(__always)
    func contains(value slot: Int) -> Bool { fields[slot].hasValue }

    /// Whether `slot` holds a non-empty value.
    @inline(__always)
    func isTruthy(slot: Int) -> Bool { fields[slot].hasValue && fields[slot].count > 0 }

    /// Sets `slot` (present afterwards; nil: without a value).
    mutating func set(slot: Int, _ value: String?) {
        guard var value else {
            remove(slot: slot)
            fields[slot] = .unset
            return
        }
        value.withUTF8 { set(slot: slot, bytes: $0) }
    }

    /// Sets `slot` to the text `bytes` (unchanged when it already holds them).
    @inline(__always)
    mutating func set(slot: Int, bytes: UnsafeBufferPointer<UInt8>) {
        let old = fields[slot]
        if old.hasValue && Int(old.count) == bytes.count {
            let same = bytes.isEmpty || text.withUnsafeBufferPointer { all in
                Bytes.equal(all.baseAddress! + Int(old.start), bytes.baseAddress!, count: bytes.count)
            }
            if same { return }
        }
        replace(slot, with: bytes)
    }

    /// Puts `bytes` in `slot`: over its old value when they fit, else at the end.
    private mutating func replace(_ slot: Int, with bytes: UnsafeBufferPointer<UInt8>) {
        let old = fields[slot]
        if old.hasValue && Int(old.count) >= bytes.count {
            text.withUnsafeMutableBufferPointer { all in
                if let source = bytes.baseAddress { (all.baseAddress! + Int(old.start)).update(from: source, count: bytes.count) }
            }
            fields[slot].count = Int32(bytes.count)
            unusedCount += Int(old.count) - bytes.count
            return
        }
        if old.hasValue { unusedCount += Int(old.count) }
        if unusedCount > 256 && unusedCount * 2 > text.count { compact() }
        fields[slot] = Field(start: Int32(text.count), count: Int32(bytes.count))
        text.append(contentsOf: bytes)
    }

    /// Sets a slot known to be absent (`bytes` nil: without a value).
    @inline(__always)
    mutating func append(slot: Int, bytes: UnsafeBufferPointer<UInt8>?) {
        if let bytes {
            fields[slot] = Field(start: Int32(text.count), count: Int32(bytes.count))
            text.append(contentsOf: bytes)
        } else {
            fields[slot] = .unset
        }
    }

    /// Drops the bytes no value uses any more.
    private mutating func compact() {
        var packed: [UInt8] = []
        packed.reserveCapacity(text.count - unusedCount)
        for slot in fields.indices where fields[slot].hasValue {
            let start = Int(fields[slot].start)
            fields[slot].start = Int32(packed.count)
            packed.append(contentsOf: text[start..<(start + Int(fields[slot].count))])
        }
        text = packed
        unusedCount = 0
    }

    /// Removes `slot` (absent afterwards).
    @inline(__always)
    mutating func remove(slot: Int) {
        if fields[slot].hasValue { unusedCount += Int(fields[slot].count) }
        if fields[slot].isPresent { fields[slot] = .absent }
    }

    /// `dict.pop(slot)`: removes the slot; returns whether it held a non-empty value.
    @inline(__always)
    mutating func pop(slot: Int) -> Bool {
        let truthy = isTruthy(slot: slot)
        remove(slot: slot)
        return truthy
    }

    public static func == (lhs: FailureFields, rhs: FailureFields) -> Bool {
        lhs.values == rhs.values && lhs.tuples == rhs.tuples
    }
}
