/// fail2ban's `seekToTime`: where to start reading so that lines dated before `time` are
/// skipped without reading them — a binary search over the file by line dates, then a short
/// forward scan. Assumes dates grow through the file; undated lines (continuations, noise)
/// are stepped over, and doubt always resolves towards starting earlier, never later.
enum TimeSeek {
    /// Below this span the search scans forward line by line.
    static let scanSpan: UInt64 = 64 * 1024
    /// Lines looked at after a probe point for a date before giving up on it.
    static let probeLines = 8

    /// The offset of the first complete line at or after `from` dated at or after `time`, moved
    /// back over the undated lines just before it; if none, the end of the last dated line.
    static func offset(fd: Int32, size: UInt64, from: UInt64, time: Double,
                       dateOfLine: (UnsafeBufferPointer<UInt8>) -> Double?) -> UInt64 {
        var reader = FileLineReader(fd: fd, size: size)
        func date(_ bytes: ArraySlice<UInt8>) -> Double? {
            bytes.withUnsafeBufferPointer { dateOfLine($0) }
        }
        // Invariant: every dated line before `low` is older than `time`; the first line at or
        // after `time` starts at or before `high` (or there is none).
        var low = reader.lineStart(atOrAfter: from)
        var high = size
        while high > low && high - low > scanSpan {
            let probe = reader.lineStart(atOrAfter: low + (high - low) / 2)
            if probe >= high { break }
            var at = probe
            var found: (start: UInt64, next: UInt64, date: Double)?
            for _ in 0..<probeLines {
                guard at < high, let line = reader.line(at: at) else { break }
                if let d = date(line.bytes) { found = (at, line.next, d); break }
                at = line.next
            }
            guard let found else {
                high = probe   // nothing to learn here: search the lower half, scan on from there
                continue
            }
            if found.date >= time { high = found.start } else { low = found.next }
        }
        // Undated lines after the last line known older are read too (as fail2ban does): a
        // file without any date, such as a blocklist of one address per line, is read whole.
        var at = low
        var start = low
        while let line = reader.line(at: at) {
            if let d = date(line.bytes) {
                if d >= time { return start }
                start = line.next
            }
            at = line.next
        }
        return start
    }
}
