/// Finds the date in a log line the way fail2ban 1.0.2's `DateDetector` does.
///
/// fail2ban does not simply try its templates in order: it first retries the template that
/// matched the previous line (inside the same window when the surrounding characters agree),
/// accepts a match only when its position is plausible, keeps the nearest match when a
/// template finds a "date" further into the message, and bubbles templates that keep
/// winning towards the front. Which template wins decides which text is cut out of the
/// line before the failregex runs, so all of that is reproduced here, positions counted
/// in characters as Python counts them.
///
/// `now` is passed in (fail2ban's `MyTime`): year-less dates are placed relative to it and
/// the reordering uses it instead of the wall clock. Time zones: the process's TZ (libc
/// `mktime`/`localtime_r`), the detector's default zone (fail2ban's `logtimezone`), or the
/// zone written in the line.
///
/// Not thread-safe: one detector per filter, used by one task at a time.
public final class DateDetector {
    /// A template with this detector's statistics (fail2ban's `DateDetectorTemplate`).
    final class Entry {
        let template: DateTemplate
        @exclusivity(unchecked) var hits = 0
        @exclusivity(unchecked) var lastUsed: Double = 0
        @exclusivity(unchecked) var distance = 0x7fffffff
        init(_ template: DateTemplate) { self.template = template }
        @inline(__always) var weight: Double {
            Double(hits) * template.weight / Double(max(1, distance))
        }
    }

    @exclusivity(unchecked) private(set) var entries: [Entry] = []
    private var knownNames: Set<String> = []
    private let defaultZone: Int?
    /// Behind a pointer: passed down the hot path without exclusivity checks.
    private let clock: UnsafeMutablePointer<LocalClock> = {
        let p = UnsafeMutablePointer<LocalClock>.allocate(capacity: 1)
        p.initialize(to: LocalClock())
        return p
    }()

    // Last winning template and where its match was, in characters, with the characters
    // around it (nil = no character there).
    @exclusivity(unchecked) private var lastIndex = Int.max
    @exclusivity(unchecked) private var lastStart = 1
    @exclusivity(unchecked) private var lastStartBefore: UInt32? = nil
    @exclusivity(unchecked) private var lastStartAt: UInt32? = nil
    @exclusivity(unchecked) private var lastEnd = 0x7fffffff
    @exclusivity(unchecked) private var lastEndBefore: UInt32? = nil
    @exclusivity(unchecked) private var lastEndAt: UInt32? = nil
    @exclusivity(unchecked) private var firstUnused = 0
    private let unusedTime: Double = 300
    /// The last scanner answer, and the conversion of scanned dates to epochs.
    @exclusivity(unchecked) private var lastScan: FastDateScanner.Result? = nil
    @exclusivity(unchecked) private var scannedTimes = ScannedTimeCache()
    /// The bytes the syslog scanner read for `lastScan` (length 0: none kept).
    private static let prefixCapacity = 64
    private let lastScanPrefix = UnsafeMutablePointer<UInt8>.allocate(capacity: DateDetector.prefixCapacity)
    @exclusivity(unchecked) private var lastScanPrefixLength = 0
    /// Off only in tests that compare the scanners with PCRE2.
    @exclusivity(unchecked) var useFastPaths = true
    /// Lines answered by a scanner (tests check the scanners are exercised).
    @exclusivity(unchecked) var fastPathHits = 0

    /// fail2ban's default templates. `defaultTimeZone` is `logtimezone` (`UTC`, `UTC+0200`,
    /// `CET`, …); a zone fail2ban would reject is ignored here (validate it first with
    /// ``validateTimeZone(_:)`` to report it).
    public init(defaultTimeZone: String? = nil) {
        defaultZone = defaultTimeZone.flatMap { try? ZoneOffset.validate($0) }
        appendDefaults(filter: nil)
    }

    /// A jail's or filter's `datepattern`: one template per non-empty line. Besides
    /// `%`-patterns and regexes: `EPOCH`, `LEPOCH`, `TAI64N` (optionally `^`/`{^LN-BEG}`),
    /// `{EPOCH}` in a regex, `{^LN-BEG}` (the line-anchored defaults), `{DEFAULT}`,
    /// `{DATE}` inside a regex, and `{NONE}`.
    public init(datePattern: String, defaultTimeZone: String? = nil) throws(DatePatternError) {
        if let zone = defaultTimeZone {
            defaultZone = try ZoneOffset.validate(zone)
        } else {
            defaultZone = nil
        }
        let lines = datePattern.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { TemplateRegex.pythonStrip(String($0)) }
            .filter { !$0.isEmpty }
        for line in lines { try append(line) }
    }

    deinit {
        clock.deinitialize(count: 1)
        clock.deallocate()
        lastScanPrefix.deallocate()
    }

    /// fail2ban's `validateTimeZone`: minutes east of UTC, or the error fail2ban reports.
    public static func validateTimeZone(_ zone: String) throws(DatePatternError) -> Int {
        try ZoneOffset.validate(zone)
    }

    /// `datepattern = {NONE}`: lines carry no date; the line engine uses "now".
    public var isNone: Bool {
        !entries.isEmpty && entries.allSatisfy { $0.template.isNone }
    }

    /// Names of the templates in their current order (diagnostics and tests).
    public var templateNames: [String] { entries.map { $0.template.name } }

    private func append(_ pattern: String) throws(DatePatternError) {
        let key = pattern.contains("%") ? pattern : pattern.uppercased()
        switch key {
        case "{^LN-BEG}":
            appendDefaults(filter: { $0.flags.contains(.lineBegin) })
        case "{DEFAULT}":
            appendDefaults(filter: nil)
        case _ where key.contains("{DATE}"):
            let ignoreDuplicates = !entries.isEmpty
            for template in try DefaultTemplates.substituted(into: pattern) {
                try add(template, ignoreDuplicate: ignoreDuplicates)
            }
        case "{NONE}":
            let built = TemplateRegex.build("^", begin: .anywhere, end: false)
            let template = try DateTemplate(name: "{NONE}", pattern: pattern, built: built) { (compiled) throws(DatePatternError) in
                .pattern(DateFields(compiled))
            }
            template.isNone = true
            try add(template, ignoreDuplicate: false)
        default:
            try add(DateTemplate.make(pattern: pattern), ignoreDuplicate: false)
        }
    }

    private func appendDefaults(filter: ((DateTemplate) -> Bool)?) {
        let ignoreDuplicates = !entries.isEmpty
        for template in DefaultTemplates.full() where filter?(template) ?? true {
            try? add(template, ignoreDuplicate: ignoreDuplicates)
        }
    }

    private func add(_ template: DateTemplate, ignoreDuplicate: Bool) throws(DatePatternError) {
        if knownNames.contains(template.name) {
            if ignoreDuplicate { return }
            throw DatePatternError(pattern: template.name, reason: .duplicateTemplate)
        }
        knownNames.insert(template.name)
        entries.append(Entry(template))
    }

    // MARK: - Matching

    /// A successful search: template index, byte window searched, positions.
    private struct Found {
        var index: Int
        var searchFrom: Int
        var searchEnd: Int
        var startChar: Int
        var endChar: Int
    }

    @inline(__always)
    private func search(_ template: DateTemplate, _ line: UnsafeBufferPointer<UInt8>, from: Int, end: Int) -> Bool {
        guard from <= end else { return false }
        let subject = end == line.count ? line : UnsafeBufferPointer(rebasing: line[0..<end])
        if template.regex.search(subject, from: from) == .matched {
            template.regexHits += 1
            return true
        }
        return false
    }

    /// Character positions of the last match (group 0).
    @inline(__always)
    private func positions(_ template: DateTemplate, _ map: inout CharacterMap) -> (start: Int, end: Int) {
        let r = template.regex.matchRange
        return (map.characterCount(upTo: r.lowerBound), map.characterCount(upTo: r.upperBound))
    }

    /// The date in `line` (raw UTF-8, valid), or nil when no template matches.
    public func match(_ line: UnsafeBufferPointer<UInt8>, now: Double) -> DateMatch? {
        // 0. The previous line's template is a line-anchored default with a scanner, and
        //    the line has its plain shape: the regex's answer without running it.
        if lastIndex < entries.count, useFastPaths, let shape = entries[lastIndex].template.fastShape,
           let found = scanned(line, shape: shape, now: now) {
            return found
        }
        return searched(line, now: now)
    }

    /// The fast path: the answer of the previous line's template's scanner, with the
    /// statistics the regex path would keep; nil when the line is not of the plain shape.
    @inline(__always)
    private func scanned(_ line: UnsafeBufferPointer<UInt8>, shape: FastDateScanner.Shape, now: Double) -> DateMatch? {
        let scanned: FastDateScanner.Result?
        switch shape {
        case .syslog:
            // The syslog scanner reads no further than two bytes past the date: a line that
            // starts with the same bytes as the last one gets the same answer.
            if let last = lastScan, lastScanPrefixLength > 0, line.count >= lastScanPrefixLength,
               Bytes.equal(line.baseAddress!, lastScanPrefix, count: lastScanPrefixLength) {
                scanned = last
            } else {
                scanned = FastDateScanner.syslog(line)
                lastScanPrefixLength = 0
                if let r = scanned, r.end + 2 <= line.count, r.end + 2 <= Self.prefixCapacity {
                    lastScanPrefix.update(from: line.baseAddress!, count: r.end + 2)
                    lastScanPrefixLength = r.end + 2
                }
            }
        case .iso: scanned = FastDateScanner.iso(line)
        }
        guard let r = scanned else { return nil }
        fastPathHits &+= 1
        let entry = entries[lastIndex]
        entry.template.regexHits += 1
        entry.hits += 1
        entry.lastUsed = now
        entry.distance = 0
        if firstUnused == lastIndex { firstUnused += 1 }
        // Plain shapes are ASCII up to the end: characters are bytes.
        lastStart = 0
        lastStartBefore = nil
        lastStartAt = UInt32(line[0])
        lastEnd = r.end
        lastEndBefore = UInt32(line[r.end - 1])
        lastEndAt = r.end < line.count ? LineText.decode(line, at: r.end) : nil
        lastScan = r
        let t = scannedTimes.time(of: r, zone: r.zone ?? defaultZone, now: now, clock: clock)
        return DateMatch(range: 0..<r.end, time: t.time, dropsLine: t.dropsLine)
    }

    /// fail2ban's search over the templates (the previous line's first, then all in order).
    @inline(never)
    private func searched(_ line: UnsafeBufferPointer<UInt8>, now: Double) -> DateMatch? {
        let count = entries.count
        var winner: Found? = nil
        var best: Found? = nil
        var ignoreBySearch = Int.max
        var map = CharacterMap(line)

        // 1. The template of the previous line, first.
        if lastIndex < count {
            let i = lastIndex
            let template = entries[i].template
            var window: (Int, Int)? = nil
            if template.isAnchored {
                window = (0, line.count)
                ignoreBySearch = i
            } else {
                let startByte = map.byteOffset(ofCharacter: lastStart)
                let endByte = map.byteOffset(ofCharacter: lastEnd)
                let before = map.character(at: lastStart - 1)
                let at = map.character(at: lastStart)
                let endAt = map.character(at: lastEnd)
                let endBefore = map.character(at: lastEnd - 1)
                let startOK = before == lastStartBefore || (at == lastStartAt && !LineText.isAlnum(lastStartAt))
                let endOK = endAt == lastEndAt || (endBefore == lastEndBefore && !LineText.isAlnum(lastEndBefore))
                if startOK && endOK {
                    window = (startByte, endByte)
                } else {
                    window = (0, line.count)
                    ignoreBySearch = i
                }
            }
            if let (from, end) = window, search(template, line, from: from, end: end) {
                let p = positions(template, &map)
                let found = Found(index: i, searchFrom: from, searchEnd: end, startChar: p.start, endChar: p.end)
                if count == 1 || template.isAnchored || (p.start == lastStart && p.end == lastEnd) {
                    winner = found
                } else {
                    best = found
                }
            }
        }

        // 2. All templates in order.
        if winner == nil {
            var i = 0
            while i < count {
                if i == ignoreBySearch { i += 1; continue }
                let entry = entries[i]
                let template = entry.template
                if search(template, line, from: 0, end: line.count) {
                    let p = positions(template, &map)
                    let found = Found(index: i, searchFrom: 0, searchEnd: line.count, startChar: p.start, endChar: p.end)
                    if i + 1 >= count || template.isAnchored { winner = found; break }
                    if p.start == 0 && entry.hits > 0 && entries[i + 1].template.regexHits == 0 { winner = found; break }
                    if p.start > entry.distance || p.start > lastStart {
                        if p.start < (best?.startChar ?? 0x7fffffff) { best = found }
                        i += 1
                        continue
                    }
                    winner = found
                    break
                }
                i += 1
            }
            if winner == nil, let best {
                // Restore the capture groups of the kept alternative.
                let template = entries[best.index].template
                let subject = best.searchEnd == line.count ? line : UnsafeBufferPointer(rebasing: line[0..<best.searchEnd])
                _ = template.regex.search(subject, from: best.searchFrom)
                winner = best
            }
        }
        guard let win = winner else { return nil }

        // 3. Statistics, reordering.
        let entry = entries[win.index]
        let template = entry.template
        entry.hits += 1
        entry.lastUsed = now
        entry.distance = win.startChar
        if firstUnused == win.index { firstUnused += 1 }
        lastStart = win.startChar
        lastStartBefore = win.startChar > 0 ? map.character(at: win.startChar - 1) : nil
        lastStartAt = map.character(at: win.startChar)
        lastEnd = win.endChar
        // Python's line[endpos-1] wraps to the last character when endpos is 0.
        lastEndBefore = win.endChar > 0
            ? map.character(at: win.endChar - 1)
            : LineText.lastCharacter(line)
        lastEndAt = map.character(at: win.endChar)
        var index = win.index
        if index != 0 && index != lastIndex { index = reorder(index) }
        lastIndex = index

        // 4. The date.
        let range = template.regex.range(ofGroup: 1) ?? (template.regex.matchRange.lowerBound..<template.regex.matchRange.lowerBound)
        if range.isEmpty { return DateMatch(range: range, time: nil) }
        let converted = template.convert(line, now: now, clock: clock, defaultZone: defaultZone)
        return DateMatch(range: range, time: converted.time, dropsLine: converted.dropsLine)
    }

    /// fail2ban's `_reorderTemplate`: move a winning template forward when it has earned it.
    private func reorder(_ num: Int) -> Int {
        let entry = entries[num]
        let untime = entry.lastUsed - unusedTime
        let weight = entry.weight
        var pos = firstUnused < num ? firstUnused : num / 2
        func movable() -> Bool {
            weight > entries[pos].weight || untime > entries[pos].lastUsed
        }
        if !movable() {
            if pos == num - 1 { return num }
            pos = num - 1
            if !movable() { return num }
        }
        entries.remove(at: num)
        entries.insert(entry, at: pos)
        while firstUnused < entries.count && entries[firstUnused].hits > 0 { firstUnused += 1 }
        return pos
    }
}
