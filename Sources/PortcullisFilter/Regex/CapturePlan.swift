/// Where one regex's named groups land in a filter's field slots, worked out once when the
/// filter is compiled, so that reading a match costs no name hashing: per name, its slot and
/// its group numbers (a name may appear more than once); the `F-ALT_*` and `F-TUPLE_*`
/// derivations by slot too.
final class CapturePlan {
    /// Per captured name: slot, and the range of its group numbers in `numbers`.
    let entries: [(slot: Int, start: Int, end: Int)]
    let numbers: [Int32]
    /// `F-ALT_*`: group slot and field slot.
    let alts: [(group: Int, field: Int)]
    /// `F-TUPLE_*` (rare): group slot, field name and slot.
    let tuples: [(group: Int, field: String, fieldSlot: Int)]

    /// The plan of `regex` against `table`, leaving out the groups named in `excluding`.
    init(_ regex: FilterRegex, table: FieldTable, excluding: Set<String> = []) {
        var entries: [(Int, Int, Int)] = []
        var numbers: [Int32] = []
        for (name, groupNumbers) in regex.groups where !excluding.contains(name) {
            entries.append((table.slotOf[name]!, numbers.count, numbers.count + groupNumbers.count))
            numbers += groupNumbers
        }
        self.entries = entries
        self.numbers = numbers
        alts = regex.altValues.map { (table.slotOf[$0.group]!, table.slotOf[$0.field]!) }
        tuples = regex.tupleValues.map { (table.slotOf[$0.group]!, $0.field, table.slotOf[$0.field]!) }
    }

    /// Every name a filter's regexes can write: group names and `F-ALT_*` / `F-TUPLE_*` fields.
    static func names(of regexes: [FilterRegex]) -> [String] {
        var names: [String] = []
        for regex in regexes {
            names += regex.groups.map(\.name)
            names += regex.altValues.map(\.field)
            names += regex.tupleValues.map(\.field)
        }
        return names
    }
}

extension FilterRegex {
    /// fail2ban's `getGroups()` for the last match, as byte ranges of `subject` in `layer`:
    /// every named group (unset when it did not participate), `F-ALT_*` values filling this
    /// regex's empty fields, and `F-TUPLE_*` values gathered into `tuples`.
    func capture(_ plan: CapturePlan, from subject: UnsafeBufferPointer<UInt8>, into layer: inout CaptureLayer,
                 tuples: inout [String: [String?]]) {
        active._withUnsafeGuaranteedRef { compiled in
            capture(plan, from: subject, with: compiled, into: &layer, tuples: &tuples)
        }
    }

    private func capture(_ plan: CapturePlan, from subject: UnsafeBufferPointer<UInt8>, with compiled: CompiledRegex,
                         into layer: inout CaptureLayer, tuples: inout [String: [String?]]) {
        for entry in plan.entries {
            var capture = Capture.unset
            var k = entry.start
            while k < entry.end {
                if let r = compiled.range(ofGroup: plan.numbers[k]) {
                    capture = Capture(state: .set, bytes: UnsafeBufferPointer(rebasing: subject[r]))
                    break
                }
                k += 1
            }
            layer.set(entry.slot, capture)
        }
        for alt in plan.alts {
            let value = layer[alt.group]
            if value.isTruthy && !layer[alt.field].isTruthy { layer.set(alt.field, value) }
        }
        for tuple in plan.tuples {
            let v = layer[tuple.group].string
            if tuples[tuple.field] != nil {
                tuples[tuple.field]!.append(v)
            } else {
                tuples[tuple.field] = [layer[tuple.fieldSlot].string, v]
            }
        }
    }

    /// Byte range of the first set group among `numbers` in the last match, or nil.
    @inline(__always)
    func firstRange(ofGroups numbers: [Int32]) -> Range<Int>? {
        active._withUnsafeGuaranteedRef { compiled in
            for n in numbers { if let r = compiled.range(ofGroup: n) { return r } }
            return nil
        }
    }
}
