/// One captured group of the current line: where its text is in the line's subject.
struct Capture {
    enum State: UInt8 {
        /// Not in this layer (the layer below shows through).
        case absent
        /// Removed by this layer (`dict.pop`): absent from the merged fields.
        case deleted
        /// The group exists but did not participate (Python's `None`).
        case unset
        /// The group matched `bytes`.
        case set
    }

    var state: State
    var bytes: UnsafeBufferPointer<UInt8>

    static var absent: Capture { Capture(state: .absent, bytes: UnsafeBufferPointer(start: nil, count: 0)) }
    static var unset: Capture { Capture(state: .unset, bytes: UnsafeBufferPointer(start: nil, count: 0)) }
    static var deleted: Capture { Capture(state: .deleted, bytes: UnsafeBufferPointer(start: nil, count: 0)) }

    /// The captured text, nil for an unset group.
    @inline(__always)
    var value: UnsafeBufferPointer<UInt8>? { state == .set ? bytes : nil }

    /// Python truthiness of the captured text.
    @inline(__always)
    var isTruthy: Bool { state == .set && !bytes.isEmpty }

    /// Present in the merged fields (possibly without a value).
    @inline(__always)
    var isPresent: Bool { state == .unset || state == .set }

    /// The captured text as a string (nil for an unset group).
    var string: String? {
        state == .set ? String(decoding: bytes, as: UTF8.self) : nil
    }
}

/// The captures of one regex over a filter's field slots: plain memory indexed by slot, with
/// the slots written so far (to clear them again). Owned by ``LineCaptures``.
struct CaptureLayer {
    private let values: UnsafeMutablePointer<Capture>
    private let written: UnsafeMutablePointer<Int>
    private(set) var writtenCount = 0

    init(slots: Int) {
        values = .allocate(capacity: max(1, slots))
        values.initialize(repeating: .absent, count: max(1, slots))
        written = .allocate(capacity: max(1, slots))
    }

    func free() {
        values.deallocate()
        written.deallocate()
    }

    @inline(__always)
    subscript(slot: Int) -> Capture { values[slot] }

    /// The `i`-th slot written.
    @inline(__always)
    func writtenSlot(_ i: Int) -> Int { written[i] }

    @inline(__always)
    mutating func set(_ slot: Int, _ capture: Capture) {
        if values[slot].state == .absent {
            written[writtenCount] = slot
            writtenCount += 1
        }
        values[slot] = capture
    }

    @inline(__always)
    mutating func clear() {
        for i in 0..<writtenCount { values[written[i]] = .absent }
        writtenCount = 0
    }
}

/// The fields of the current match without strings: the prefregex's groups, with the
/// matching failregex's groups (and the merge's own edits) laid over them, as byte ranges of
/// the line's subjects. Strings are made only for what is kept: a new failure's fields, or
/// the values that change a cached connection's.
///
/// A class: one per ``LineFilter``, reused for every line.
final class LineCaptures {
    let table: FieldTable
    @exclusivity(unchecked) var pref: CaptureLayer
    @exclusivity(unchecked) var own: CaptureLayer
    /// `F-TUPLE_*` values of each layer (rare: empty for nearly every filter).
    @exclusivity(unchecked) var prefTuples: [String: [String?]] = [:]
    @exclusivity(unchecked) var ownTuples: [String: [String?]] = [:]

    init(table: FieldTable) {
        self.table = table
        pref = CaptureLayer(slots: table.count)
        own = CaptureLayer(slots: table.count)
    }

    deinit {
        pref.free()
        own.free()
    }

    func clearPref() {
        pref.clear()
        if !prefTuples.isEmpty { prefTuples = [:] }
    }

    func clearOwn() {
        own.clear()
        if !ownTuples.isEmpty { ownTuples = [:] }
    }

    /// The merged value of `slot` (own over pref; a deleted slot reads as absent).
    @inline(__always)
    subscript(slot: Int) -> Capture {
        let o = own[slot]
        if o.state == .absent { return pref[slot] }
        return o.state == .deleted ? .absent : o
    }

    /// Calls `body` with each slot present in the merged fields and its capture.
    @inline(__always)
    func forEachPresent(_ body: (Int, Capture) -> Void) {
        for i in 0..<pref.writtenCount {
            let slot = pref.writtenSlot(i)
            if own[slot].state == .absent, pref[slot].isPresent { body(slot, pref[slot]) }
        }
        for i in 0..<own.writtenCount {
            let slot = own.writtenSlot(i)
            if own[slot].isPresent { body(slot, own[slot]) }
        }
    }

    /// The merged fields as strings.
    func makeFields() -> FailureFields {
        var textCount = 0
        forEachPresent { _, capture in textCount += capture.bytes.count }
        var fields = FailureFields(table: table, textCapacity: textCount)
        fill(&fields)
        return fields
    }

    /// Writes the merged fields into `fields` (all absent beforehand).
    func fill(_ fields: inout FailureFields) {
        forEachPresent { slot, capture in fields.append(slot: slot, bytes: capture.value) }
        if !prefTuples.isEmpty || !ownTuples.isEmpty {
            fields.tuples = prefTuples
            for (k, v) in ownTuples { fields.tuples[k] = v }
        }
    }

    /// `cached.update(merged, skipping None)`: the merged values override the cached ones;
    /// strings are made only for values that differ.
    func update(_ cached: inout FailureFields) {
        forEachPresent { slot, capture in
            if let bytes = capture.value { cached.set(slot: slot, bytes: bytes) }
        }
        guard !prefTuples.isEmpty || !ownTuples.isEmpty else { return }
        for (k, v) in prefTuples where ownTuples[k] == nil { cached.tuples[k] = v }
        for (k, v) in ownTuples { cached.tuples[k] = v }
    }
}
