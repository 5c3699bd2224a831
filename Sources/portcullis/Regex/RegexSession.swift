import PortcullisConfig
import PortcullisFilter
#if canImport(Glibc)
import Glibc
#endif

/// One run of `portcullis regex`: resolves the filter, feeds every line through a
/// ``LineFilter`` and keeps fail2ban-regex's statistics and report.
struct RegexSession {
    struct Failure: Error { let message: String }

    let command: RegexCommand
    var output = BufferedOutput()
    private var stats: LineStats
    private var failRegexHits: [Int] = []
    private var ignoreRegexHits: [Int] = []
    private var prefRegexHits = 0
    private var failRegexSources: [String] = []
    private var ignoreRegexSources: [String] = []

    init(command: RegexCommand) {
        self.command = command
        stats = LineStats(LineStats.Policy(command))
    }

    mutating func run() throws {
        let now = command.now ?? Self.currentTime()
        var options = LineFilter.Options()
        options.checkAllRegex = !command.noCheckAll
        options.returnRawHost = command.raw
        options.ignorePending = false
        options.checkFindTime = false
        if let useDns = command.useDns { options.useDns = useDns }

        let failSource = FilterSource(argument: command.filter, configDirectory: command.config, isFailRegex: true)
        var definition = try failSource.load()
        failRegexSources = definition.failRegex
        let ignoreSource = command.ignoreRegex.map {
            FilterSource(argument: $0, configDirectory: command.config, isFailRegex: false)
        }
        if let ignoreSource {
            let ignoreDefinition = try ignoreSource.load()
            definition.ignoreRegex = ignoreDefinition.failRegex + ignoreDefinition.ignoreRegex
        }
        ignoreRegexSources = definition.ignoreRegex

        let filter: LineFilter
        do {
            filter = try LineFilter(definition: definition, options: options, maxLines: command.effectiveMaxLines,
                                    datePattern: command.datePattern, timeZone: command.timeZone)
        } catch {
            throw Failure(message: error.description)
        }
        failRegexHits = Array(repeating: 0, count: filter.failRegexes.count)
        ignoreRegexHits = Array(repeating: 0, count: filter.ignoreRegexes.count)

        if !command.json {
            output.write("\nRunning tests\n=============\n\n")
            output.write(failSource.banner)
            if let ignoreSource { output.write(ignoreSource.banner) }
            if let maxLines = command.effectiveMaxLines { output.write("Use         maxlines : \(maxLines)\n") }
            if let pattern = command.datePattern { output.write("Use      datepattern : \(pattern)\n") }
        }

        let started = Self.currentTime()
        let isFile = access(command.log, R_OK) == 0 && Self.isRegularFile(command.log)
        if isFile {
            if !command.json {
                output.write("Use         log file : \(command.log)\n")
                output.write("Use         encoding : \(command.encoding)\n\n")
            }
            do {
                try LogFileLines(path: command.log).forEach { number, bytes in
                    testLine(bytes, number: number, filter: filter, now: now)
                }
            } catch {
                throw Failure(message: "\(error)")
            }
        } else {
            let lines = command.log.split(separator: "\n", omittingEmptySubsequences: false)
            if !command.json {
                if filter.maxLines <= 1 && lines.count == 1 {
                    output.write("Use      single line : \(Self.short(command.log))\n\n")
                } else {
                    output.write("Use      multi line : \(lines.count) line(s)\n")
                    for (i, l) in lines.prefix(5).enumerated() { output.write("| \(i + 1): \(Self.short(String(l)))\n") }
                    if lines.count > 5 { output.write("| ...\n") }
                    output.write("`-\n\n")
                }
            }
            for (i, line) in lines.enumerated() {
                var text = String(line)
                text.withUTF8 { testLine($0, number: i + 1, filter: filter, now: now) }
            }
        }
        let elapsed = Self.currentTime() - started
        if !command.json { printReport(filter: filter, elapsed: elapsed) }
        if filter.limitExceededCount > 0 {
            writeStandardError("WARNING: \(filter.limitExceededCount) line(s) hit the regex match limit and were skipped (pathological input).\n")
        }
        output.flush()
    }

    // MARK: - per line

    private mutating func testLine(_ raw: UnsafeBufferPointer<UInt8>, number: Int, filter: LineFilter, now: Double) {
        var end = raw.count
        while end > 0 && (raw[end - 1] == 0x0A || raw[end - 1] == 0x0D) { end -= 1 }
        let line = UnsafeBufferPointer(rebasing: raw[0..<end])
        // fail2ban-regex skips comments and empty lines.
        if line.isEmpty || line[0] == UInt8(ascii: "#") { return }
        let multiLine = filter.maxLines > 1
        let before = multiLine ? filter.bufferedLineTexts : []
        var ignored = false
        var matched = false
        var first: FailureMatch? = nil
        let json = stats.policy.json
        filter.process(rawLine: line, now: now, onFailure: { hit in
            failRegexHits[hit.regexIndex] += 1
            if hit.isNoFail {
                ignored = true
            } else {
                matched = true
                if json && first == nil { first = hit }
            }
        }, then: { valid, outcome in
            if outcome.ignored {
                ignored = true
                for i in filter.lastIgnoredBy { ignoreRegexHits[i] += 1 }
            }
            if outcome.prefRegexMatched { prefRegexHits += 1 }
            stats.record(ignored: ignored, matched: matched) { String(decoding: valid, as: UTF8.self) }
        })
        if multiLine { stats.reconcileMultiLine(before: before, after: filter.bufferedLineTexts, maxLines: filter.maxLines) }
        if json { writeJSON(number: number, failure: first?.makeFailure(), ignored: ignored, filter: filter) }
    }

    private mutating func writeJSON(number: Int, failure first: PortcullisFilter.Failure?, ignored: Bool, filter: LineFilter) {
        var object = "{\"line\": \(number), \"match\": \(first != nil && !ignored)"
        object += ", \"host\": " + (first?.id.map(JSON.string) ?? "null")
        let time = first?.time ?? filter.lastLineTime
        object += ", \"time\": " + (time.map(JSON.number) ?? "null")
        object += ", \"fields\": {"
        if let first {
            var names = first.fields.values.compactMap { key, value -> (String, String)? in
                guard let value, !Self.internalGroups.contains(key), !key.hasPrefix("skiplines") else { return nil }
                return (key, value)
            }
            names.sort { $0.0 < $1.0 }
            object += names.map { JSON.string($0.0) + ": " + JSON.string($0.1) }.joined(separator: ", ")
        }
        object += "}}\n"
        output.write(object)
    }

    /// Address groups are reported as `host`; the rest of the named groups are `F-*` fields.
    private static let internalGroups: Set<String> = ["ip4", "ip6", "dns", "cidr", "content"]

    // MARK: - report

    private mutating func printReport(filter: LineFilter, elapsed: Double) {
        output.write("\nResults\n=======\n")
        if let pref = filter.prefRegex {
            output.write("\nPrefregex: \(prefRegexHits) total\n")
            output.write(Self.list([pref.expanded]))
        }
        let failTotal = failRegexHits.reduce(0, +)
        output.write("\nFailregex: \(failTotal) total\n")
        output.write(Self.list(regexLines(failRegexSources, failRegexHits), header: " #) [# of hits] regular expression"))
        let ignoreTotal = ignoreRegexHits.reduce(0, +)
        output.write("\nIgnoreregex: \(ignoreTotal) total\n")
        output.write(Self.list(regexLines(ignoreRegexSources, ignoreRegexHits), header: " #) [# of hits] regular expression"))
        if let detector = filter.dateDetector {
            output.write("\nDate template hits:\n")
            let hits = detector.templateHits.filter { command.verbose > 0 || $0.hits > 0 }.map { "[\($0.hits)] \($0.name)" }
            output.write(Self.list(hits, header: "[# of hits] date format"))
        }
        output.write("\nLines: \(stats.tested) lines, \(stats.ignored) ignored, \(stats.matched) matched, \(stats.missed) missed\n")
        output.write("[processed in \(Self.format2(elapsed)) sec]\n\n")
        let maxPrinted = command.effectiveMaxLines ?? 20
        if command.printAllMatched { printLines("matched", stats.matched, stats.matchedLines, printAll: true, maxPrinted: maxPrinted) }
        if !command.printNoIgnored { printLines("ignored", stats.ignored, stats.ignoredLines, printAll: command.printAllIgnored, maxPrinted: maxPrinted) }
        if !command.printNoMissed { printLines("missed", stats.missed, stats.missedLines, printAll: command.printAllMissed, maxPrinted: maxPrinted) }
    }

    private func regexLines(_ sources: [String], _ hits: [Int]) -> [String] {
        sources.indices.compactMap { i in
            guard hits[i] > 0 || command.verbose > 0 else { return nil }
            let n = String(i + 1)
            return String(repeating: " ", count: max(0, 2 - n.count)) + "\(n)) [\(hits[i])] \(sources[i])"
        }
    }

    private mutating func printLines(_ kind: String, _ count: Int, _ lines: [String], printAll: Bool, maxPrinted: Int) {
        guard count > 0 else { return }
        let header = "\(kind.prefix(1).uppercased())\(kind.dropFirst()) line(s):"
        if count < maxPrinted || printAll {
            output.write(Self.list(lines.map { Self.rstrip($0) }, header: header))
        } else {
            output.write("\(header) too many to print.  Use --print-all-\(kind) to print all \(count) lines\n")
        }
    }

    static func list(_ items: [String], header: String? = nil) -> String {
        guard !items.isEmpty else { return "" }
        var s = header.map { "|- \($0)\n" } ?? ""
        s += "|  " + items.joined(separator: "\n|  ") + "\n`-\n"
        return s
    }

    // MARK: - helpers

    static func rstrip(_ s: String) -> String {
        var t = Substring(s)
        while let l = t.last, l.isWhitespace { t.removeLast() }
        return String(t)
    }

    static func short(_ s: String) -> String {
        s.count > 200 ? String(s.prefix(200)) + "..." : s
    }

    static func format2(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let frac = hundredths % 100
        return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
    }

    static func currentTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }
}
