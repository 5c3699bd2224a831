#if canImport(Glibc)
import Glibc
#endif

/// Finds line boundaries with `memchr`/`memrchr`: one pass over a big buffer, no per-line work
/// beyond appending a range.
enum LineScanner {
    /// Ranges of the lines in `bytes[0..<end]`, where `end` is just past a "\n". Each range
    /// excludes its "\n" and the "\r" of a CRLF.
    static func lineRanges(_ bytes: UnsafeBufferPointer<UInt8>, end: Int) -> [Range<Int>] {
        guard end > 0, let base = bytes.baseAddress else { return [] }
        var ranges = [Range<Int>]()
        ranges.reserveCapacity(end / 48 + 1)
        var start = 0
        while start < end {
            guard let hit = memchr(base + start, 0x0a, end - start) else { break }
            let newline = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            var stop = newline
            if stop > start && base[stop - 1] == 0x0d { stop -= 1 }
            ranges.append(start..<stop)
            start = newline + 1
        }
        return ranges
    }

    /// The range of an unterminated final line (delivered when its file rotates): all of it but
    /// a trailing "\r".
    static func partialRange(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var stop = bytes.count
        if stop > 0 && bytes[stop - 1] == 0x0d { stop -= 1 }
        return 0..<stop
    }

    /// Index just past the last "\n" in `bytes[from...]`, or nil. (A backward loop: the last
    /// line is short, and glibc's `memrchr` is not visible without _GNU_SOURCE.)
    static func endOfLastLine(_ bytes: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        var i = bytes.count
        while i > from {
            i -= 1
            if bytes[i] == 0x0a { return i + 1 }
        }
        return nil
    }

    /// Index of the first "\n" in `bytes[from...]`, or nil.
    static func firstNewline(_ bytes: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        guard bytes.count > from, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + from, 0x0a, bytes.count - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }
}
