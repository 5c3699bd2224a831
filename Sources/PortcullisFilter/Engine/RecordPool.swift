/// Failure records no longer referenced, kept for reuse: a connection that ends (or a
/// single-line hit once reported) gives its record back, and the next one is filled in
/// place, so its buffers are not freed and allocated again.
struct RecordPool {
    private var spare: [FailureRecord] = []
    private static let limit = 16

    /// A record holding the fields of `line` and nothing else.
    mutating func record(for line: LineCaptures) -> FailureRecord {
        guard let record = spare.popLast() else { return FailureRecord(fields: line.makeFields()) }
        record.reset()
        line.fill(&record.fields)
        return record
    }

    /// Takes `record` back when nothing else references it.
    mutating func recycle(_ record: inout FailureRecord) {
        guard spare.count < Self.limit, isKnownUniquelyReferenced(&record) else { return }
        spare.append(record)
    }
}
