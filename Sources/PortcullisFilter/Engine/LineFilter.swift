#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    public var options: Options {
        didSet {
            current = options
            defaultRaw = options.useDns == "raw" || options.returnRawHost
        }
    }
    /// `options`, read on the hot path without exclusivity checks.
    @exclusivity(unchecked) private var current: Options
    /// Addresses and host names are reported as written (`usedns = raw`, `--raw`).
    @exclusivity(unchecked) private var defaultRaw: Bool
    /// nil only for sources that carry their own time (the journal).
    public let dateDetector: DateDetector?

    /// Outcome flags of the last `process` call, for fail2ban-regex's statistics.
    @exclusivity(unchecked) public private(set) var lastPrefRegexMatched = false
    @exclusivity(unchecked) public private(set) var lastIgnoredBy: [Int] = []
    /// Lines whose regexes hit PCRE2's match limit (pathological input), skipped.
    @exclusivity(unchecked) public private(set) var limitExceededCount = 0

    /// Time of the last line whose date was found (for reports of lines without failures).
    @exclusivity(unchecked) public private(set) var lastLineTime: Double?
    /// The lines held for multi-line matching, as written (fail2ban-regex's statistics need them).
    public var bufferedLineTexts: [String] { lineBuffer.map(\.text) }

    /// Slots of every field the regexes can capture, and where each regex's groups go.
    let fieldTable: FieldTable
    private let prefPlan: CapturePlan?
    private let prefContentGroups: [Int32]
    private let failPlans: [CapturePlan]
    /// The failregexes worth trying on a single-line subject, by its first byte.
    private let failCandidates: FailCandidates
    /// Each failregex with its plan, and the prefregex with its plan, read without
    /// reference counting (``failRegexes``, ``failPlans``, ``prefRegex``, ``prefPlan`` own them).
    private let failSteps: UnsafeMutableBufferPointer<FailStep>
    private let prefStep: FailStep?

    @exclusivity(unchecked) private var lineBuffer: [TupleLine] = []
    /// The date text of the last line that had one (reported with lines that have none).
    @exclusivity(unchecked) private var lastTime = SearchBuffer(capacity: 64)
    @exclusivity(unchecked) private var lastDate: Double?
    /// The search subject of the current line(s).
    @exclusivity(unchecked) private var scratch = SearchBuffer()
    /// A prefregex's `<F-CONTENT>` when it is not the tail of `scratch`; multi-line ignore subjects.
    @exclusivity(unchecked) private var contentScratch = SearchBuffer()
    /// A multi-line prefregex subject, kept while the search buffer is rebuilt.
    @exclusivity(unchecked) private var prefScratch = SearchBuffer()
    /// The current match's groups, as byte ranges.
    private let captures: LineCaptures
    @exclusivity(unchecked) private var multiLineCache = MultiLineFailureCache()
    @exclusivity(unchecked) private var recordPool = RecordPool()

    public init(prefRegex: FilterRegex?, failRegexes: [FilterRegex], ignoreRegexes: [FilterRegex],
                maxLines: Int = 1, dateDetector: DateDetector?, options: Options = Options()) {
        self.prefRegex = prefRegex
        self.failRegexes = failRegexes
        self.ignoreRegexes = ignoreRegexes
        self.maxLines = max(1, maxLines)
        self.dateDetector = dateDetector
        self.options = options
        current = options
        defaultRaw = options.useDns == "raw" || options.returnRawHost
        failCandidates = FailCandidates(failRegexes)
        let table = FieldTable(names: CapturePlan.names(of: (prefRegex.map { [$0] } ?? []) + failRegexes))
        fieldTable = table
        let plan = prefRegex.map { CapturePlan($0, table: table, excluding: ["content"]) }
        prefPlan = plan
        prefContentGroups = prefRegex?.compiled.groupNumbers["content"] ?? []
        failPlans = failRegexes.map { CapturePlan($0, table: table) }
        if let prefRegex, let plan { prefStep = FailStep(regex: prefRegex, plan: plan) } else { prefStep = nil }
        failSteps = .allocate(capacity: failRegexes.count)
        _ = failSteps.initialize(from: zip(failRegexes, failPlans).map { FailStep(regex: $0, plan: $1) })
        captures = LineCaptures(table: table)
    }

    deinit {
        scratch.free()
        contentScratch.free()
        prefScratch.free()
        failCandidates.free()
        failSteps.deallocate()
        lastTime.free()
    }

    /// Processes one line (without its line break; valid UTF-8), finding its date itself.
    public func process(line: UnsafeBufferPointer<UInt8>, now: Double) -> [Failure] {
        var failures: [Failure] = []
        process(line: line, now: now) { failures.append($0.makeFailure()) }
        return failures
    }

    /// Processes one line (without its line break; valid UTF-8), finding its date itself, and
    /// hands each failregex hit to `onFailure` (in regex order) without building a ``Failure``
    /// unless asked: the fast entry point for callers that count, or need few failures.
    @discardableResult
    public func process(line: UnsafeBufferPointer<UInt8>, now: Double, onFailure: (FailureMatch) -> Void) -> LineOutcome {
        processLine(line, ascii: nil, now: now, report: onFailure)
        return LineOutcome(prefRegexMatched: lastPrefRegexMatched, ignored: !lastIgnoredBy.isEmpty)
    }

    /// Processes one line as read from a log (without its line break; any bytes): invalid
    /// UTF-8 is repaired first, as ``ValidUTF8/withValidated(_:_:)`` does, and the line is
    /// checked for ASCII once. `onFailure` as in ``process(line:now:onFailure:)``; `body`
    /// sees the line as processed (repaired) after it.
    @discardableResult
    public func process<R>(rawLine: UnsafeBufferPointer<UInt8>, now: Double, onFailure: (FailureMatch) -> Void,
                           then body: (UnsafeBufferPointer<UInt8>, LineOutcome) -> R) -> R {
        func run(_ line: UnsafeBufferPointer<UInt8>, ascii: Bool) -> R {
            processLine(line, ascii: ascii, now: now, report: onFailure)
            return body(line, LineOutcome(prefRegexMatched: lastPrefRegexMatched, ignored: !lastIgnoredBy.isEmpty))
        }
        if ValidUTF8.isASCII(rawLine) { return run(rawLine, ascii: true) }
        return ValidUTF8.withValidated(rawLine) { run($0, ascii: false) }
    }

    /// What fail2ban-regex counts about the line besides its hits (``lastPrefRegexMatched``,
    /// ``lastIgnoredBy`` non-empty), returned so that callers need not read them back.
    public struct LineOutcome: Sendable {
        public var prefRegexMatched: Bool
        public var ignored: Bool
    }

    /// `ascii`: whether the line is known to be ASCII (nil: not checked yet).
    private func processLine(_ line: UnsafeBufferPointer<UInt8>, ascii: Bool?, now: Double,
                             report onFailure: (FailureMatch) -> Void) {
        var parts = LineParts(dateRange: nil, usesLastTimeText: false)
        var date: Double? = nil
        var noDate = false
        lastLineTime = nil
        if let dateMatch = dateDetector?.match(line, now: now) {
            // fail2ban drops the whole line when its date text raises (unknown zone, …).
            if dateMatch.dropsLine { return }
            let r = dateMatch.range
            if !r.isEmpty {
                parts.dateRange = r
                if let time = dateMatch.time {
                    date = time
                    lastTime.removeAll()
                    lastTime.append(UnsafeBufferPointer(rebasing: line[r]))
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
            } else if current.checkFindTime && current.inOperation {
                date = now
            }
        }
        if current.checkFindTime, let d = date {
            if current.inOperation {
                // A line far from now is treated as if it just happened (latency or zone problem).
                if abs(d - now) > 60 { date = now; lastDate = now }
            } else if d < now - current.findTime {
                return
            }
        }
        lastLineTime = date
        findFailures(line, parts, ascii: ascii, date: date, noDate: noDate, now: now, report: onFailure)
    }

    /// Processes a line whose time is already known (journal entries): no date detection.
    public func process(line: UnsafeBufferPointer<UInt8>, time: Double, timeText: String, now: Double) -> [Failure] {
        lastTime.removeAll()
        var text = timeText
        text.withUTF8 { lastTime.append($0) }
        lastDate = time
        lastLineTime = time
        var failures: [Failure] = []
        findFailures(line, LineParts(dateRange: nil, usesLastTimeText: true), ascii: nil, date: time, noDate: false, now: now) {
            failures.append($0.makeFailure())
        }
        return failures
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
        if parts.usesLastTimeText { return TupleLine(prefix: [], date: Array(lastTime.bytes), suffix: Array(line)) }
        if let r = parts.dateRange { return TupleLine(line: line, dateRange: r) }
        return TupleLine(prefix: [], date: [], suffix: Array(line))
    }

    /// The single-line search subject: the line without its date, plus "\n".
    private func fillSearchBuffer(_ line: UnsafeBufferPointer<UInt8>, _ parts: LineParts) -> UnsafeBufferPointer<UInt8> {
        scratch.removeAll()
        if let r = parts.dateRange, !parts.usesLastTimeText {
            scratch.append(UnsafeBufferPointer(rebasing: line[..<r.lowerBound]))
            scratch.append(UnsafeBufferPointer(rebasing: line[r.upperBound...]))
        } else {
            scratch.append(line)
        }
        scratch.append(0x0A)
        return scratch.bytes
    }

    /// The multi-line search subject: the buffered lines without their dates.
    private func fillSearchBuffer() -> UnsafeBufferPointer<UInt8> {
        TupleLine.searchBuffer(lineBuffer, into: &scratch)
        return scratch.bytes
    }

    // MARK: - fail2ban's findFailure

    private func findFailures(_ line: UnsafeBufferPointer<UInt8>, _ parts: LineParts, ascii lineIsASCII: Bool?,
                              date: Double?, noDate: Bool,
                              now: Double, report: (FailureMatch) -> Void) {
        lastPrefRegexMatched = false
        if !lastIgnoredBy.isEmpty { lastIgnoredBy.removeAll(keepingCapacity: true) }
        let multiLine = maxLines > 1

        // Single-line filters (nearly all) search a reusable buffer and build no tuple unless a
        // regex matches; multi-line filters keep fail2ban's buffer of tuples. A nil subject
        // is rebuilt from the tuples before the next search.
        var orgBuffer: [TupleLine] = []
        var subject: UnsafeBufferPointer<UInt8>?
        // An ASCII subject (nearly every log line) is searched by the regexes' ASCII code.
        var ascii: Bool
        if multiLine {
            lineBuffer.append(tupleLine(line, parts))
            if lineBuffer.count > maxLines { lineBuffer.removeFirst(lineBuffer.count - maxLines) }
            orgBuffer = lineBuffer
            subject = fillSearchBuffer()
            ascii = ValidUTF8.isASCII(subject!)
        } else {
            subject = fillSearchBuffer(line, parts)
            ascii = lineIsASCII ?? ValidUTF8.isASCII(line)
        }

        // ignoreregex first when there are clearly fewer of them than failregexes.
        if !ignoreRegexes.isEmpty && ignoreRegexes.count < failRegexes.count - 2 {
            if ignoreLine(subject!, ascii: ascii, failMatch: nil) { return }
        }

        // The prefregex's subject; its groups are read at the first failregex hit.
        var preSubject: UnsafeBufferPointer<UInt8>? = nil
        var prefCaptured = false
        if let prefStep {
            let pre = subject!
            // A single line (no newline inside) is searched with the content tail cut short.
            let shortContent = !multiLine && !Self.containsNewline(line)
            let outcome = prefStep.with { regex, _ in
                shortContent ? regex.searchShortContent(pre, ascii: ascii) : regex.search(pre, ascii: ascii)
            }
            guard outcome == .matched else {
                if outcome == .limitExceeded { limitExceededCount += 1 }
                return
            }
            lastPrefRegexMatched = true
            if multiLine {
                // The search buffer is rebuilt from the tuples below: keep the subject.
                prefScratch.removeAll()
                prefScratch.append(pre)
                preSubject = prefScratch.bytes
            } else {
                preSubject = pre
            }
            // The failregexes search the content (plus "\n") instead of the line.
            if var content = prefStep.with({ regex, _ in regex.firstRange(ofGroups: prefContentGroups) }), !content.isEmpty {
                // The short tail captured the content's first character: it runs to the "\n".
                if shortContent && prefStep.with({ regex, _ in regex.shortContent != nil }) {
                    content = content.lowerBound..<(pre.count - 1)
                }
                if multiLine {
                    lineBuffer = [TupleLine(prefix: [], date: [], suffix: Array(UnsafeBufferPointer(rebasing: pre[content])))]
                    subject = nil
                } else if content.upperBound == pre.count - 1 {
                    // The content ends the line: its "\n" follows it already.
                    subject = UnsafeBufferPointer(rebasing: pre[content.lowerBound...])
                } else {
                    contentScratch.removeAll()
                    contentScratch.append(UnsafeBufferPointer(rebasing: pre[content]))
                    contentScratch.append(0x0A)
                    subject = contentScratch.bytes
                }
            }
        }

        // A single-line subject stays the same for every failregex: only those that can
        // start with its first byte are tried (in order).
        let candidates = multiLine ? failCandidates.all : failCandidates.starting(with: subject![0])
        for candidate in candidates {
            let index = Int(candidate)
            let step = failSteps[index]
            if subject == nil {
                subject = fillSearchBuffer()
                ascii = ValidUTF8.isASCII(subject!)
            }
            let buf = subject!
            let outcome = step.with { regex, _ in regex.search(buf, ascii: ascii) }
            guard outcome == .matched else {
                if outcome == .limitExceeded { limitExceededCount += 1 }
                continue
            }
            // Where a multi-line match lies among the buffered lines (before other searches).
            let match = multiLine ? step.with { regex, _ in RegexMatch(regex: regex, subject: buf, orgLines: orgBuffer) } : nil
            if !ignoreRegexes.isEmpty && ignoreLine(buf, ascii: ascii, failMatch: match) {
                if multiLine { subject = nil }
                if !current.checkAllRegex { break }
                continue
            }
            if noDate && date == nil && current.checkFindTime { continue }
            // The groups of this regex over the prefregex's (read before the subject changes).
            if !prefCaptured, let preSubject, let prefStep {
                captures.clearPref()
                prefStep.with { regex, plan in
                    regex.capture(plan, from: preSubject, into: &captures.pref, tuples: &captures.prefTuples)
                }
                prefCaptured = true
            }
            captures.clearOwn()
            step.with { regex, plan in regex.capture(plan, from: buf, into: &captures.own, tuples: &captures.ownTuples) }
            if let match {
                lineBuffer = match.unmatchedLines
                subject = nil
            }
            let matchedLines: MatchedLines = match.map { .buffered($0.matchedLines) }
                ?? .line(line, datePrefix: parts.usesLastTimeText ? lastTime.bytes : nil)
            var record: FailureRecord
            let cached: Bool
            let mlfid = captures[fieldTable.mlfid].value
            if let mlfid {
                (record, cached) = multiLineCache.merge(id: mlfid, line: captures, matchedLines: matchedLines,
                                                        lastDate: lastDate, now: now, pool: &recordPool)
                if record.fields.isTruthy(slot: fieldTable.nofail) && !current.checkAllRegex {
                    if !cached { recordPool.recycle(&record) }
                    return
                }
            } else {
                record = recordPool.record(for: captures)
                matchedLines.append(to: &record.matches)
                cached = false
            }
            let hit = FailureMatch(regexIndex: index, record: record, time: date, defaultRaw: defaultRaw)
            if !deliver(consume hit, mlfid: mlfid, to: report) {
                if !cached { recordPool.recycle(&record) }
                return
            }
            // A record the cache does not keep is reused once the hit is gone (unless kept).
            if !cached { recordPool.recycle(&record) }
            if !current.checkAllRegex { break }
        }
    }

    @inline(__always)
    private static func containsNewline(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = line.baseAddress, !line.isEmpty else { return false }
        return memchr(base, 0x0A, line.count) != nil
    }

    /// Hands `hit` to the caller; false when the line ends here (a pending failure ignored).
    @inline(__always)
    private func deliver(_ hit: consuming FailureMatch, mlfid: UnsafeBufferPointer<UInt8>?,
                         to report: (FailureMatch) -> Void) -> Bool {
        if !hit.hasID {
            // Multi-line failure still waiting for its id.
            multiLineCache.markPending(id: mlfid)
            if !current.checkAllRegex && current.ignorePending { return false }
        }
        report(hit)
        return true
    }

    /// fail2ban's `_ignoreLine`: records which ignoreregexes matched; true when any did.
    private func ignoreLine(_ buf: UnsafeBufferPointer<UInt8>, ascii: Bool, failMatch: RegexMatch?) -> Bool {
        var subject = buf
        var ascii = ascii
        if let failMatch {
            TupleLine.searchBuffer(failMatch.matchedLines, into: &contentScratch)
            subject = contentScratch.bytes
            ascii = ValidUTF8.isASCII(subject)
        }
        var found = false
        for (index, regex) in ignoreRegexes.enumerated() {
            let outcome = regex.search(subject, ascii: ascii)
            if outcome == .limitExceeded { limitExceededCount += 1 }
            guard outcome == .matched else { continue }
            found = true
            lastIgnoredBy.append(index)
            if let failMatch {
                lineBuffer = failMatch.unmatchedLines
            }
            if !current.checkAllRegex { break }
        }
        return found
    }

    /// fail2ban's `IPAddr(ip, cidr)` text: canonical address, or the text as written when it is none.
    static func canonicalAddress(_ text: String, prefixLength: Int?) -> String {
        // A dotted quad `inet_pton` accepts is already canonical (it refuses leading zeros).
        if prefixLength == nil, IPAddress.parseIPv4(text.utf8) != nil { return text }
        if let address = IPAddress(address: text, prefixLength: prefixLength) { return address.description }
        if prefixLength == nil, let address = IPAddress(text) { return address.description }
        return text
    }
}
