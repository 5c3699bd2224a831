#if canImport(Glibc)
import Glibc
#endif

/// One watched path: the descriptor we read, how far we are, the held-back partial line, and
/// the rotation checks. Owned by the watcher's thread alone.
///
/// The descriptor stays open across a rotation until the name leads to a new file, so lines
/// written to the old file after it was renamed are still read; the old file is then read to
/// its end, its partial last line delivered, and the new file read from its beginning.
final class TailedFile {
    let path: String
    private(set) var descriptor: Int32 = -1
    private(set) var identity: FileIdentity?
    /// Next byte to read from `descriptor`.
    private var readOffset: UInt64 = 0
    /// Bytes read but not delivered: the unterminated last line (and, while reading, the batch).
    private var pending: [UInt8] = []
    /// How many leading bytes of `pending` are known to hold no "\n" (a long line being
    /// written is not rescanned on every read).
    private var pendingScanned = 0
    private var firstLine: FirstLine?
    private var missingReported = false
    /// When the name was first seen gone while we still read the old file (a rotation in
    /// progress is not reported as missing unless it lasts `missingGrace` seconds).
    private var goneSince: Double?
    private let missingGrace: Double
    private var lastError: LogSourceError?
    /// True while the name does not lead to the file we read (missing, or not yet there).
    private(set) var isDetached = true

    /// Lines are delivered in batches of about this many bytes.
    static let batchBytes = 1 << 20
    /// A routine refresh reads at most this much, so one huge file does not starve the others.
    static let refreshBudget: UInt64 = 8 << 20

    typealias Sink = (LogEvent) -> Bool

    enum Outcome {
        /// Read everything there was.
        case done
        /// Stopped at the refresh budget: refresh again soon.
        case more
        /// The consumer is gone (watcher stopped).
        case stopped
    }

    /// A path that did not exist when added: read from its beginning once it appears.
    init(missing path: String, missingGrace: Double) {
        self.path = path
        self.missingGrace = missingGrace
    }

    /// A path opened when added, positioned by its `LogStart`.
    init(path: String, descriptor: Int32, status: FileStatus, firstLine: FirstLine?, offset: UInt64,
         missingGrace: Double) {
        self.path = path
        self.missingGrace = missingGrace
        self.descriptor = descriptor
        self.identity = status.identity
        self.firstLine = firstLine
        self.readOffset = offset
        self.isDetached = false
    }

    /// The position to persist: just before the held-back partial line.
    var position: LogPosition {
        LogPosition(path: path, firstLineHash: firstLine?.hash ?? "",
                    offset: readOffset - UInt64(pending.count))
    }

    /// Looks at the name (rotation? deleted? appeared?) and reads what is new.
    func refresh(scratch: UnsafeMutableBufferPointer<UInt8>, sink: Sink) -> Outcome {
        guard descriptor >= 0 else { return attach(scratch: scratch, sink: sink) }
        switch FileStatus.of(path: path) {
        case .failure(let e) where e.code == ENOENT || e.code == ENOTDIR:
            // Gone (deleted or moved away): finish what was written, wait for a successor.
            let outcome = read(scratch: scratch, flush: false, budget: Self.refreshBudget, sink: sink)
            guard outcome != .stopped else { return .stopped }
            isDetached = true
            let now = IO.monotonicNow()
            if !missingReported, let since = goneSince, now - since >= missingGrace {
                missingReported = true
                if !sink(.missing(path: path)) { return .stopped }
            } else if goneSince == nil {
                goneSince = now
            }
            return outcome
        case .failure(let e):
            guard report(.system(operation: "stat", path: path, errno: e.code), sink) else { return .stopped }
            return read(scratch: scratch, flush: false, budget: Self.refreshBudget, sink: sink)
        case .success(let named) where named.identity != identity:
            return replace(scratch: scratch, sink: sink)
        case .success(let named):
            isDetached = false
            missingReported = false
            goneSince = nil
            if let how = shrinkage(size: named.size) {
                // Copytruncate (or a rewrite in place): what we read is gone; start over.
                guard deliver(flush: true, sink: sink), sink(.rotated(path: path, how: how)) else { return .stopped }
                readOffset = 0
                firstLine = nil
            }
            return read(scratch: scratch, flush: false, budget: Self.refreshBudget, sink: sink)
        }
    }

    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
        identity = nil
    }

    deinit { close() }

    // MARK: - Rotation

    /// The name leads to a file for the first time (added while missing): read it all.
    private func attach(scratch: UnsafeMutableBufferPointer<UInt8>, sink: Sink) -> Outcome {
        switch IO.openForReading(path) {
        case .failure(.missing):
            isDetached = true
            if !missingReported {
                missingReported = true
                if !sink(.missing(path: path)) { return .stopped }
            }
            return .done
        case .failure(.failed(let error)):
            isDetached = true
            return report(error, sink) ? .done : .stopped
        case .success(let opened):
            adopt(opened.fd, opened.status)
            return read(scratch: scratch, flush: false, budget: Self.refreshBudget, sink: sink)
        }
    }

    /// The name leads to another file: finish the old one (partial line included), announce
    /// the rotation, switch to the new one from its beginning.
    private func replace(scratch: UnsafeMutableBufferPointer<UInt8>, sink: Sink) -> Outcome {
        guard read(scratch: scratch, flush: true, budget: .max, sink: sink) != .stopped else { return .stopped }
        let deleted: Bool
        if case .success(let old) = FileStatus.of(descriptor: descriptor) { deleted = old.links == 0 } else { deleted = false }
        close()
        guard sink(.rotated(path: path, how: deleted ? "deleted and re-created" : "moved away and re-created"))
        else { return .stopped }
        missingReported = false
        return attach(scratch: scratch, sink: sink)
    }

    private func adopt(_ fd: Int32, _ status: FileStatus) {
        descriptor = fd
        identity = status.identity
        readOffset = 0
        pending.removeAll()
        pendingScanned = 0
        firstLine = nil
        isDetached = false
        missingReported = false
        goneSince = nil
        lastError = nil
    }

    /// Why the file under our descriptor no longer holds what we read, if it does not:
    /// shorter than our offset (truncated), or another first line (truncated and rewritten
    /// past our offset before we looked). `size` is the file's size from the `stat` of its
    /// name that just found it is still our file (same inode), so no `fstat` is needed.
    private func shrinkage(size: UInt64) -> String? {
        if size < readOffset { return "truncated" }
        if let firstLine, size >= firstLine.length, !firstLine.stillFirst(in: descriptor) {
            return "rewritten"
        }
        return nil
    }

    // MARK: - Reading

    /// Reads from `readOffset` to the end of the file (or `budget` bytes) and delivers complete
    /// lines; with `flush`, also the unterminated last line.
    private func read(scratch: UnsafeMutableBufferPointer<UInt8>, flush: Bool, budget: UInt64, sink: Sink) -> Outcome {
        guard descriptor >= 0 else { return .done }
        var taken: UInt64 = 0
        var outcome = Outcome.done
        while true {
            if taken >= budget { outcome = .more; break }
            let n: Int
            switch IO.pread(descriptor, UnsafeMutableRawBufferPointer(scratch), at: readOffset) {
            case .failure(let e):
                guard report(.system(operation: "read", path: path, errno: e.code), sink) else { return .stopped }
                n = 0
            case .success(let count):
                n = count
            }
            if n == 0 { break }
            if pending.capacity < pending.count + n {
                pending.reserveCapacity(max(pending.count * 2, pending.count + n, Self.batchBytes + scratch.count))
            }
            pending.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<n]))
            readOffset += UInt64(n)
            taken += UInt64(n)
            lastError = nil
            if pending.count >= Self.batchBytes && !deliver(flush: false, sink: sink) { return .stopped }
        }
        return deliver(flush: flush && outcome == .done, sink: sink) ? outcome : .stopped
    }

    /// Hands the complete lines in `pending` (and with `flush` the partial one) to the sink.
    private func deliver(flush: Bool, sink: Sink) -> Bool {
        let batchStart = readOffset - UInt64(pending.count)
        let cut = pending.withUnsafeBufferPointer { LineScanner.endOfLastLine($0, from: pendingScanned) } ?? 0
        defer { pendingScanned = pending.count }
        let bytes: [UInt8]
        var ranges: [Range<Int>]
        if flush && cut < pending.count {
            bytes = pending
            pending = []
            ranges = bytes.withUnsafeBufferPointer { LineScanner.lineRanges($0, end: cut) }
            let tail = bytes.withUnsafeBufferPointer { LineScanner.partialRange(UnsafeBufferPointer(rebasing: $0[cut...])) }
            ranges.append((tail.lowerBound + cut)..<(tail.upperBound + cut))
        } else {
            guard cut > 0 else { return true }
            let rest = Array(pending[cut...])
            pending.removeSubrange(cut...)
            bytes = pending
            pending = rest
            ranges = bytes.withUnsafeBufferPointer { LineScanner.lineRanges($0, end: cut) }
        }
        if firstLine == nil {
            if batchStart == 0 {
                firstLine = bytes.withUnsafeBufferPointer { buffer in
                    LineScanner.firstNewline(buffer).map { FirstLine.of(UnsafeBufferPointer(rebasing: buffer[0...$0])) }
                }
            } else if case .success(let line) = FirstLine.read(descriptor) {
                firstLine = line
            }
        }
        let batch = LogBatch(path: path, bytes: bytes, lineRanges: ranges, position: position)
        return sink(.lines(batch))
    }

    /// Reports an error once (until something succeeds again); false if the consumer is gone.
    private func report(_ error: LogSourceError, _ sink: Sink) -> Bool {
        guard error != lastError else { return true }
        lastError = error
        return sink(.error(error))
    }
}
