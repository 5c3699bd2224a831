/// Turns log lines into failures, in fail2ban's processing order: the date is found and cut
/// out, then `prefregex` (with `<F-CONTENT>`), then `ignoreregex`, then `failregex`, with
/// multi-line buffers (`maxlines`), `<SKIPLINES>` and connection-id merging (`<F-MLFID>`).
///
/// Pure and synchronous: the caller hands in the current time; nothing here reads a clock,
/// a file or the network. One instance per jail, used by one task at a time.
public final class LineFilter {
    /// Options that change how lines are read, set from the jail or the command line.
    public struct Options: Sendable {
        /// fail2ban's `usedns`: `yes`, `warn`, `no` or `raw`.
        public var useDns: String = "warn"
        /// Report host names as written instead of marking them for resolution (fail2ban-regex `--raw`).
        public var returnRawHost: Bool = false
        /// Try every failregex on each line (fail2ban-regex and the sample tests do).
        public var checkAllRegex: Bool = false
        /// Keep multi-line failures that have no id yet out of the result.
        public var ignorePending: Bool = true
        /// Compare line times with the current time (the daemon does; fail2ban-regex does not).
        public var checkFindTime: Bool = false
        /// In operation (tailing new lines) rather than reading old lines at start.
        public var inOperation: Bool = true
        /// `findtime` in seconds, for dropping old lines at start.
        public var findTime: Double = 600
        public init() {}
    }

    public let prefRegex: FilterRegex?
    public let failRegexes: [FilterRegex]
    public let ignoreRegexes: [FilterRegex]
    public let maxLines: Int
    public var options: Options
    /// nil only for sources that carry their own time (the journal).
    public let dateDetector: DateDetector?

    /// Outcome flags of the last `process` call, for fail2ban-regex's statistics.
    public private(set) var lastPrefRegexMatched = false
    public private(set) var lastIgnoredBy: [Int] = []
    /// Lines whose regexes hit PCRE2's match limit (pathological input), skipped.
    public private(set) var limitExceededCount = 0

    /// Time of the last line whose date was found (for reports of lines without failures).
    public private(set) var lastLineTime: Double?
    /// The lines held for multi-line matching, as written (fail2ban-regex's statistics need them).
    public var bufferedLineTexts: [String] { lineBuffer.map(\.text) }

    private var lineBuffer: [TupleLine] = []
    private var lastTimeText: [UInt8] = []
    private var lastDate: Double?
    private var scratch: [UInt8] = []
    private var multiLineCache = MultiLineFailureCache()

    public init(prefRegex: FilterRegex?, failRegexes: [FilterRegex], ignoreRegexes: [FilterRegex],
                maxLines: Int = 1, dateDetector: DateDetector?, options: Options = Options()) {
        self.prefRegex = prefRegex
        self.failRegexes = failRegexes
        self.ignoreRegexes = ignoreRegexes
        self.maxLines = max(1, maxLines)
        self.dateDetector = dateDetector
        self.options = options
        scratch.reserveCapacity(4096)
    }

    /// Processes one line (without its line break; valid UTF-8), finding its date itself.
    public func process(line: UnsafeBufferPointer<UInt8>, now: Double) -> [Failure] {
        var parts = LineParts(dateRange: nil, usesLastTimeText: false)
        var date: Double? = nil
        var noDate = false
        lastLineTime = nil
        if let dateMatch = dateDetector?.match(line, now: now) {
            // fail2ban drops the whole line when its date text raises (unknown zone, …).
            if dateMatch.dropsLine { return [] }
            let r = dateMatch.range
            if !r.isEmpty {
                parts.dateRange = r
                if let time = dateMatch.time {
                    date = time
                    lastTimeText = Array(line[r])
                    lastDate = time
                }
            } else if let last = lastDate, last > now - 60 {
                parts.usesLastTimeText = true
                date = last
            } else {
                parts.dateRange = r
                date = now
            }
        }
        if date == nil {
            noDate = true
            if let last = lastDate, last > now - 60 {
                parts = LineParts(dateRange: nil, usesLastTimeText: true)
                date = last
            } else if options.checkFindTime && options.inOperation {
                date = now
            }
        }
        if options.checkFindTime, let d = date {
            if options.inOperation {
                // A line far from now is treated as if it just happened (latency or zone problem).
                if abs(d - now) > 60 { date = now; lastDate = now }
            } else if d < now - options.findTime {
                return []
            }
        }
        lastLineTime = date
        return findFailures(line, parts, date: date, noDate: noDate, now: now)
    }

    /// Processes a line whose time is already known (journal entries): no date detection.
    public func process(line: UnsafeBufferPointer<UInt8>, time: Double, timeText: String, now: Double) -> [Failure] {
        lastTimeText = Array(timeText.utf8)
        lastDate = time
        lastLineTime = time
        return findFailures(line, LineParts(dateRange: nil, usesLastTimeText: true), date: time, noDate: false, now: now)
    }

    /// Convenience for tests and cold paths.
    public func process(_ line: String, now: Double) -> [Failure] {
        var copy = line
        return copy.withUTF8 { process(line: $0, now: now) }
    }

    /// How the current line splits around its date, without copying it.
    struct LineParts {
        var dateRange: Range<Int>?
        /// The line carries no date of its own; it is reported with the last one seen.
        var usesLastTimeText: Bool
    }

    private func tupleLine(_ line: UnsafeBufferPointer<UInt8>, _ parts: LineParts) -> TupleLine {
        if parts.usesLastTimeText { return TupleLine(prefix: [], date: lastTimeText, suffix: Array(line)) }
        if let r = parts.dateRange { return TupleLine(line: line, dateRange: r) }
        return TupleLine(prefix: [], date: [], suffix: Array(line))
    }

    /// The single-line search buffer: the line without its date, plus "\n".
    private func fillSearchBuffer(_ line: UnsafeBufferPointer<UInt8>, _ parts: LineParts) {
        scratch.removeAll(keepingCapacity: true)
        if let r = parts.dateRange, !parts.usesLastTimeText {
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: line[..<r.lowerBound]))
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: line[r.upperBound...]))
        } else {
            scratch.append(contentsOf: line)
        }
        scratch.append(0x0A)
    }

    // MARK: - fail2ban's findFailure

    private func findFailures(_ line: UnsafeBufferPointer<UInt8>, _ parts: LineParts, date: Double?, noDate: Bool, now: Double) -> [Failure] {
        lastPrefRegexMatched = false
        if !lastIgnoredBy.isEmpty { lastIgnoredBy.removeAll(keepingCapacity: true) }
        var failures: [Failure] = []
        let defaultRaw = options.useDns == "raw" || options.returnRawHost

        // Single-line filters (nearly all) search a reusable buffer and build no tuple unless a
        // regex matches; multi-line filters keep fail2ban's buffer of tuples.
        var orgBuffer: [TupleLine] = []
        var buf: [UInt8]?
        if maxLines > 1 {
            lineBuffer.append(tupleLine(line, parts))
            if lineBuffer.count > maxLines { lineBuffer.removeFirst(lineBuffer.count - maxLines) }
            orgBuffer = lineBuffer
            buf = TupleLine.searchBuffer(orgBuffer, into: &scratch)
        } else {
            fillSearchBuffer(line, parts)
            buf = scratch
        }
        var singleLineTuple: TupleLine? = nil
        func originalLines() -> [TupleLine] {
            if maxLines > 1 { return orgBuffer }
            if singleLineTuple == nil { singleLineTuple = tupleLine(line, parts) }
            return [singleLineTuple!]
        }

        // ignoreregex first when there are clearly fewer of them than failregexes.
        if !ignoreRegexes.isEmpty && ignoreRegexes.count < failRegexes.count - 2 {
            if ignoreLine(buf!, failMatch: nil) { return failures }
        }

        var preGroups: FailureFields? = nil
        if let prefRegex {
            let outcome = buf!.withUnsafeBufferPointer { prefRegex.search($0) }
            guard outcome == .matched else {
                if outcome == .limitExceeded { limitExceededCount += 1 }
                return failures
            }
            lastPrefRegexMatched = true
            var groups = buf!.withUnsafeBufferPointer { prefRegex.groupValues(in: $0) }
            let content = groups.values.removeValue(forKey: "content") ?? nil
            if let content, !content.isEmpty {
                if maxLines > 1 {
                    lineBuffer = [TupleLine(prefix: [], date: [], suffix: Array(content.utf8))]
                    buf = nil
                } else {
                    scratch.removeAll(keepingCapacity: true)
                    scratch.append(contentsOf: content.utf8)
                    scratch.append(0x0A)
                    buf = scratch
                }
            }
            preGroups = groups
        }

        for (index, failRegex) in failRegexes.enumerated() {
            if buf == nil { buf = TupleLine.searchBuffer(lineBuffer, into: &scratch) }
            let subject = buf!
            let outcome = subject.withUnsafeBufferPointer { failRegex.search($0) }
            guard outcome == .matched else {
                if outcome == .limitExceeded { limitExceededCount += 1 }
                continue
            }
            let match = subject.withUnsafeBufferPointer { RegexMatch(regex: failRegex, subject: $0, orgLines: originalLines()) }
            var fields = subject.withUnsafeBufferPointer { failRegex.groupValues(in: $0) }
            if !ignoreRegexes.isEmpty && ignoreLine(subject, failMatch: match) {
                if maxLines > 1 { buf = nil }
                if !options.checkAllRegex { break }
                continue
            }
            if noDate && date == nil && options.checkFindTime { continue }
            if maxLines > 1 {
                lineBuffer = match.unmatchedLines
                buf = nil
            }
            var isRaw = defaultRaw
            if let preGroups {
                var merged = preGroups
                merged.update(with: fields)
                fields = merged
            }
            var data = FailureData(fields: fields)
            let mlfid = fields["mlfid"]
            if let mlfid {
                data = multiLineCache.merge(id: mlfid, failure: data, matchedLines: match.matchedLines.map(\.text),
                                            lastDate: lastDate, now: now)
                if data.fields.isTruthy("nofail") && !options.checkAllRegex { return failures }
            } else {
                data.matches += match.matchedLines.map(\.text)
            }
            var fid = data.fields["fid"]
            var host: String?
            var prefixLength: Int? = nil
            if let ip4 = data.fields["ip4"] {
                host = ip4
                prefixLength = data.fields["cidr"].flatMap { Int($0) }
                isRaw = true
            } else if let ip6 = data.fields["ip6"] {
                host = ip6
                prefixLength = data.fields["cidr"].flatMap { Int($0) }
                isRaw = true
            } else if let dns = data.fields["dns"] {
                host = dns
            } else {
                if fid == nil && mlfid == nil {
                    fid = Self.firstFailureID(data.fields)
                }
                host = fid
                isRaw = true
            }
            var failure = Failure(regexIndex: index, id: nil, address: nil, needsResolution: false, time: date,
                                  fields: data.fields, matches: data.matches, users: data.users ?? [],
                                  isNoFail: data.fields.isTruthy("nofail"))
            if let host {
                if isRaw {
                    let canonical = defaultRaw && data.fields["ip4"] == nil && data.fields["ip6"] == nil
                        ? host : Self.canonicalAddress(host, prefixLength: prefixLength)
                    if fid == nil || fid == host {
                        failure.id = canonical
                    } else {
                        failure.address = canonical
                        failure.id = fid
                    }
                } else {
                    // A host name: the jail resolves it according to usedns.
                    failure.id = host
                    failure.needsResolution = true
                }
            } else {
                // Multi-line failure still waiting for its id.
                multiLineCache.markPending(id: mlfid)
                if !options.checkAllRegex && options.ignorePending { return failures }
            }
            failures.append(failure)
            if !options.checkAllRegex { break }
        }
        return failures
    }

    /// fail2ban's `_ignoreLine`: records which ignoreregexes matched; true when any did.
    private func ignoreLine(_ buf: [UInt8], failMatch: RegexMatch?) -> Bool {
        var subject = buf
        if let failMatch, maxLines > 1 {
            subject = []
            _ = TupleLine.searchBuffer(failMatch.matchedLines, into: &subject)
        }
        var found = false
        for (index, regex) in ignoreRegexes.enumerated() {
            let outcome = subject.withUnsafeBufferPointer { regex.search($0) }
            if outcome == .limitExceeded { limitExceededCount += 1 }
            guard outcome == .matched else { continue }
            found = true
            lastIgnoredBy.append(index)
            if maxLines > 1, let failMatch {
                lineBuffer = failMatch.unmatchedLines
            }
            if !options.checkAllRegex { break }
        }
        return found
    }

    private static func firstFailureID(_ fields: FailureFields) -> String? {
        for name in FilterRegex.failureIDGroups { if let v = fields[name] { return v } }
        return nil
    }

    /// fail2ban's `IPAddr(ip, cidr)` text: canonical address, or the text as written when it is none.
    static func canonicalAddress(_ text: String, prefixLength: Int?) -> String {
        if let address = IPAddress(address: text, prefixLength: prefixLength) { return address.description }
        if prefixLength == nil, let address = IPAddress(text) { return address.description }
        return text
    }
}
