#if canImport(Glibc)
import Glibc
#endif
import PortcullisFilter
import PortcullisLogs
import Synchronization

/// A jail's filter stage. It runs on the jail's reading task, not on the jail's actor: on a
/// machine with two cores one filters the next batch of lines while the other counts and bans
/// the failures of the last one (a burst of lines took the sum of both before).
///
/// The filter is behind a lock; control commands (`set <jail> addfailregex`, `get <jail>
/// maxlines`, …) take it between two batches.
final class JailFilter: Sendable {
    private struct State {
        var filter: LineFilter
        /// fail2ban's `inOperation`: false while a jail reads what its log held at start.
        var inOperation = false
    }
    private let state: Mutex<State>

    init(_ filter: sending LineFilter) {
        state = Mutex(State(filter: filter))
    }

    /// What one batch of lines came to: the failures and where the file was left.
    struct FilteredLines: Sendable {
        var path: String
        var position: LogPosition
        var lineCount: Int
        /// Whether the batch reached the file's end (the jail is then in operation).
        var reachedEnd: Bool
        var failures: [Failure]
    }

    /// A log source's event with its lines already through the filter.
    enum Event: Sendable {
        case lines(FilteredLines)
        case other(LogEvent)
    }

    func filter(_ event: LogEvent) -> Event {
        guard case .lines(let batch) = event else { return .other(event) }
        return .lines(filter(batch, now: Clock.now()))
    }

    /// Each line of `batch` through the filter. Lines are bytes as the log holds them: invalid
    /// UTF-8 is repaired before matching.
    func filter(_ batch: LogBatch, now: Double) -> FilteredLines {
        let atEnd = Self.reachedEnd(of: batch)
        let failures = state.withLock { state -> [Failure] in
            state.filter.options.inOperation = state.inOperation
            var failures: [Failure] = []
            for index in batch.lineRanges.indices {
                batch.withLine(index) { line in
                    state.filter.process(rawLine: line, now: now, onFailure: { failures.append($0.makeFailure()) }, then: { _, _ in })
                }
            }
            if atEnd { state.inOperation = true }
            return failures
        }
        return FilteredLines(path: batch.path, position: batch.position, lineCount: batch.count, reachedEnd: atEnd, failures: failures)
    }

    /// Journal entries through the filter (they carry their own time).
    func filter(_ entries: [JournalEntry], now: Double) -> [Failure] {
        state.withLock { state in
            var failures: [Failure] = []
            for entry in entries {
                var line = entry.line
                failures += line.withUTF8 { bytes in
                    state.filter.process(line: bytes, time: entry.time, timeText: Clock.text(entry.time), now: now)
                }
            }
            return failures
        }
    }

    /// Reads or changes the filter (`get`/`set` commands) between batches.
    func withFilter<R: Sendable>(_ body: (LineFilter) throws -> R) rethrows -> R {
        try state.withLock { state in try body(state.filter) }
    }

    /// Puts a newly compiled filter with the running one's options in place (`set <jail>
    /// addfailregex …`); when `make` throws, the running filter stays.
    func rebuild<E: Error>(_ make: (LineFilter.Options) throws(E) -> LineFilter) throws(E) {
        try state.withLock { (state) throws(E) in
            state.filter = try make(state.filter.options)
        }
    }

    private static func reachedEnd(of batch: LogBatch) -> Bool {
        var info = stat()
        guard stat(batch.path, &info) == 0 else { return true }
        return batch.position.offset >= UInt64(info.st_size)
    }
}
