/// Hand-written scanners for the two line-anchored default templates that nearly every log
/// hits (syslog `Jan 23 21:59:59`, ISO `2005-01-23T21:59:59.123+01:00`), so the common line
/// costs no regex search.
///
/// A scanner only answers when the line has the plain shape for which the regex's result
/// is certain: ASCII, fixed-width fields, nothing the regex could backtrack into. Anything
/// else ("unsure") falls back to PCRE2, so the result is always the regex's result; a test
/// compares both on mutated lines.
enum FastDateScanner {
    enum Shape { case syslog, iso }

    struct Result: Equatable {
        /// End of the date (group 1 and group 0; both start at byte 0).
        var end: Int
        var year: Int?
        var month: Int
        var day: Int
        var hour: Int
        var minute: Int
        var second: Int
        var zone: Int?
    }

    @inline(__always)
    private static func digit(_ c: UInt8) -> Int? {
        let d = c &- 48
        return d <= 9 ? Int(d) : nil
    }

    /// A character after which `(?=\b|\W|$)` holds following a word character: end, or
    /// ASCII non-word. Non-ASCII is "unsure".
    @inline(__always)
    private static func endsWord(_ line: UnsafeBufferPointer<UInt8>, _ p: Int) -> Bool {
        if p >= line.count { return true }
        let c = line[p]
        if c >= 0x80 { return false }
        let isWord = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
        return !isWord
    }

    /// Two digits `HH`/`MM`/`SS` with the first digit ≤ `maxFirst`.
    @inline(__always)
    private static func twoDigits(_ line: UnsafeBufferPointer<UInt8>, _ p: Int, maxFirst: Int) -> Int? {
        guard let a = digit(line[p]), a <= maxFirst, let b = digit(line[p + 1]) else { return nil }
        return a * 10 + b
    }

    /// `HH:MM:SS` at p (8 bytes available), hour first digit ≤ `hourMaxFirst`.
    @inline(__always)
    private static func clock(_ line: UnsafeBufferPointer<UInt8>, _ p: Int, hourMaxFirst: Int) -> (Int, Int, Int)? {
        guard let h = twoDigits(line, p, maxFirst: hourMaxFirst), line[p + 2] == UInt8(ascii: ":"),
              let m = twoDigits(line, p + 3, maxFirst: 5), line[p + 5] == UInt8(ascii: ":"),
              let s = twoDigits(line, p + 6, maxFirst: 5) else { return nil }
        return (h, m, s)
    }

    /// `{^LN-BEG}(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?`, plain shape only.
    @inline(__always)
    static func syslog(_ line: UnsafeBufferPointer<UInt8>) -> Result? {
        let n = line.count
        guard n >= 15 else { return nil }
        let c0 = line[0] | 0x20
        guard c0 >= 97 && c0 <= 122 else { return nil } // a letter: \W{0,2} matches nothing
        var p = 0
        if DateFields.abbrIndex(line, 0..<3, DateFields.weekdayAbbrs) != nil {
            guard line[3] == UInt8(ascii: " ") else { return nil }
            p = 4
            guard n >= p + 15 else { return nil }
        }
        guard let monthIndex = DateFields.abbrIndex(line, p..<(p + 3), DateFields.monthAbbrs),
              line[p + 3] == UInt8(ascii: " ") else { return nil }
        p += 4
        let day: Int
        if line[p] == UInt8(ascii: " "), let d = digit(line[p + 1]), d >= 1 {
            day = d
        } else if let a = digit(line[p]), let b = digit(line[p + 1]), a * 10 + b >= 1, a * 10 + b <= 31 {
            day = a * 10 + b
        } else {
            return nil
        }
        p += 2
        guard line[p] == UInt8(ascii: " "), line[p + 1] != UInt8(ascii: " ") else { return nil }
        p += 1
        guard let (h, m, s) = clock(line, p, hourMaxFirst: 2) else { return nil }
        p += 8
        if p < n {
            let c = line[p]
            if c == UInt8(ascii: ".") { return nil }
            if c == UInt8(ascii: " "), p + 1 < n, line[p + 1] == UInt8(ascii: "2") { return nil }
        }
        guard endsWord(line, p) else { return nil }
        return Result(end: p, year: nil, month: monthIndex + 1, day: day, hour: h, minute: m, second: s, zone: nil)
    }

    /// `{^LN-BEG}%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\s*%z)?`, plain shape only.
    @inline(__always)
    static func iso(_ line: UnsafeBufferPointer<UInt8>) -> Result? {
        let n = line.count
        guard n >= 19, let y0 = digit(line[0]), let y1 = digit(line[1]), let y2 = digit(line[2]), let y3 = digit(line[3]) else { return nil }
        let prefix = y0 * 100 + y1 * 10 + y2
        guard TimeDirectives.yearPrefixValues.contains(prefix) else { return nil }
        let sep = line[4]
        guard sep == UInt8(ascii: "-") || sep == UInt8(ascii: "/") || sep == UInt8(ascii: "."),
              let m0 = digit(line[5]), let m1 = digit(line[6]), line[7] == sep,
              let d0 = digit(line[8]), let d1 = digit(line[9]) else { return nil }
        let month = m0 * 10 + m1, day = d0 * 10 + d1
        guard month >= 1, month <= 12, day >= 1, day <= 31 else { return nil }
        let t = line[10]
        guard t == UInt8(ascii: "T") || (t == UInt8(ascii: " ") && line[11] != UInt8(ascii: " ")) else { return nil }
        guard let (h, mi, s) = clock(line, 11, hourMaxFirst: 2), h <= 23 else { return nil }
        var p = 19
        if p < n && (line[p] == UInt8(ascii: ".") || line[p] == UInt8(ascii: ",")) {
            var k = p + 1
            while k < n, digit(line[k]) != nil { k += 1 }
            let count = k - p - 1
            guard count >= 1 && count <= 6 else { return nil }
            p = k
        }
        // (?:\s*%z)?
        var q = p
        while q < n {
            let c = line[q]
            if c == 32 || (c >= 9 && c <= 13) { q += 1; continue }
            if c >= 0x80 || (c >= 28 && c <= 31) { return nil }
            break
        }
        var zone: Int? = nil
        var end = p
        if q < n {
            let c = line[q]
            var zoneLength = 0
            if c == UInt8(ascii: "Z") {
                zoneLength = 1; zone = 0
            } else if q + 3 <= n && ((c == 85 && line[q + 1] == 84 && line[q + 2] == 67) || (c == 71 && line[q + 1] == 77 && line[q + 2] == 84)) {
                zoneLength = 3; zone = 0
            } else if (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")), q + 3 <= n,
                      line[q + 1] == UInt8(ascii: "0") || line[q + 1] == UInt8(ascii: "1"), digit(line[q + 2]) != nil {
                zoneLength = 3
                if q + 6 <= n, line[q + 3] == UInt8(ascii: ":"), digit(line[q + 4]) != nil, digit(line[q + 5]) != nil {
                    zoneLength = 6
                } else if q + 5 <= n, digit(line[q + 3]) != nil, digit(line[q + 4]) != nil {
                    zoneLength = 5
                }
                zone = ZoneOffset.numericOffset(line, q..<(q + zoneLength))
            }
            if zoneLength > 0 {
                guard endsWord(line, q + zoneLength) else { return nil }
                end = q + zoneLength
            }
        }
        if zone == nil {
            guard endsWord(line, p) else { return nil }
        }
        let year = prefix * 10 + y3
        return Result(end: end, year: year, month: month, day: day, hour: h, minute: mi, second: s, zone: zone)
    }
}
