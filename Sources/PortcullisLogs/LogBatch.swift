/// A batch of complete lines read from one file, in file order, delivered from one big read so
/// the daemon pays no per-line system call or allocation.
///
/// `bytes` are the file's bytes as written (no decoding); `lineRanges` index into them without
/// the "\n" (nor the "\r" of a CRLF). A final line without "\n" is held back until it is
/// completed, or delivered as it is when the file is rotated or truncated under it.
public struct LogBatch: Sendable {
    public var path: String
    public var bytes: [UInt8]
    public var lineRanges: [Range<Int>]
    /// The position after this batch: persist it to resume after these lines.
    public var position: LogPosition

    public init(path: String, bytes: [UInt8], lineRanges: [Range<Int>], position: LogPosition) {
        self.path = path
        self.bytes = bytes
        self.lineRanges = lineRanges
        self.position = position
    }

    public var count: Int { lineRanges.count }

    /// Calls `body` with line `i` (without its line ending), borrowing the batch's storage.
    public func withLine<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let range = lineRanges[i]
        return bytes.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[range]))
        }
    }

    /// Line `i` decoded as UTF-8 (invalid bytes replaced) — for tests and messages, not the hot path.
    public func string(_ i: Int) -> String {
        String(decoding: bytes[lineRanges[i]], as: UTF8.self)
    }
}
