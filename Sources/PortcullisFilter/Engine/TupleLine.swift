/// A log line split around its date, as fail2ban keeps it: regexes see `prefix + suffix`
/// (the date cut out), reports show all three joined.
struct TupleLine: Equatable {
    var prefix: [UInt8]
    var date: [UInt8]
    var suffix: [UInt8]

    init(prefix: [UInt8], date: [UInt8], suffix: [UInt8]) {
        self.prefix = prefix
        self.date = date
        self.suffix = suffix
    }

    init(line: UnsafeBufferPointer<UInt8>, dateRange r: Range<Int>) {
        prefix = Array(line[..<r.lowerBound])
        date = Array(line[r])
        suffix = Array(line[r.upperBound...])
    }

    /// The line as written.
    var text: String { String(decoding: prefix + date + suffix, as: UTF8.self) }

    /// Adds the line as written to `list`.
    func appendText(to list: inout LineList) {
        let whole = prefix + date + suffix
        whole.withUnsafeBufferPointer { list.append($0) }
    }

    /// fail2ban's `_tupleLinesBuf`: each line without its date, joined by and ended with "\n".
    static func searchBuffer(_ lines: [TupleLine], into buffer: inout SearchBuffer) {
        buffer.removeAll()
        for line in lines {
            buffer.append(line.prefix)
            buffer.append(line.suffix)
            buffer.append(0x0A)
        }
    }
}

/// Where a failregex matched in a (multi-line) buffer: the lines it covered and the rest,
/// with `<SKIPLINES>` lines moved back to the rest (fail2ban's `Regex.search` bookkeeping).
struct RegexMatch {
    var matchedLines: [TupleLine]
    var unmatchedLines: [TupleLine]

    init(regex: FilterRegex, subject: UnsafeBufferPointer<UInt8>, orgLines: [TupleLine]) {
        if orgLines.count <= 1 {
            matchedLines = orgLines
            unmatchedLines = []
            return
        }
        let range = regex.matchRange
        // Start of the line holding the match start; end of the line holding its last byte.
        var lineStart = 0
        var i = min(range.lowerBound, subject.count - 1)
        while i >= 0 { if subject[i] == 0x0A { lineStart = i + 1; break }; i -= 1 }
        var lineEnd = subject.count
        var j = max(range.upperBound - 1, 0)
        while j < subject.count { if subject[j] == 0x0A { lineEnd = j + 1; break }; j += 1 }
        var count1 = 0, count2 = 0
        for k in 0..<lineEnd where subject[k] == 0x0A {
            if k < lineStart { count1 += 1 }
            count2 += 1
        }
        count1 = min(count1, orgLines.count)
        count2 = min(max(count2, count1), orgLines.count)
        var matched = Array(orgLines[count1..<count2])
        var unmatched = Array(orgLines[..<count1])
        var n = 0
        for skipped in regex.skippedLines(in: subject) {
            let skippedBytes = Array(skipped.utf8)
            var m = n
            while m < matched.count {
                if matched[m].prefix + matched[m].suffix == skippedBytes {
                    unmatched.append(matched.remove(at: m))
                    n = m
                    break
                }
                m += 1
            }
        }
        unmatched += orgLines[count2...]
        matchedLines = matched
        unmatchedLines = unmatched
    }
}
