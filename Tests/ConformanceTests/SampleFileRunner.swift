import Foundation
import PortcullisConfig
import PortcullisFilter

/// Runs one filter's sample log(s) through the engine, reproducing fail2ban's sample-test loop.
struct SampleFileRunner {
    let filterName: String
    let configDirectory: String
    let logsDirectory: String

    /// A filter built for one option combination, cached by its name like fail2ban's test does.
    final class FilterUnderTest {
        let name: String
        let filter: LineFilter?
        let options: [String: Any]
        let loadError: String?
        init(name: String, filter: LineFilter?, options: [String: Any], loadError: String?) {
            self.name = name; self.filter = filter; self.options = options; self.loadError = loadError
        }
    }

    func run() -> SampleRunResult {
        var result = SampleRunResult()
        var files = [filterName]
        var cache: [String: FilterUnderTest] = [:]
        var filterTests: [FilterUnderTest] = []
        var commonOptions: [String: Any] = [:]
        var index = 0
        guard FileManager.default.fileExists(atPath: logsDirectory + "/" + filterName) else {
            result.fail("\(filterName): no sample log")
            return result
        }
        while index < files.count {
            let file = files[index]; index += 1
            guard let data = FileManager.default.contents(atPath: logsDirectory + "/" + file) else {
                result.fail("\(filterName): cannot read sample \(file)")
                continue
            }
            // Split on bytes: a Swift String sees "\r\n" as one character, not as a "\n".
            let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            var ignoreBlock = false
            var i = 0
            while i < lines.count {
                var line = lines[i]; i += 1
                var faildata: [String: Any] = [:]
                if let (kind, json) = Self.annotation(line) {
                    guard let value = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) else {
                        result.fail("\(file):\(i): bad JSON annotation")
                        continue
                    }
                    switch kind {
                    case "fileOptions":
                        commonOptions = value as? [String: Any] ?? [:]
                        continue
                    case "filterOptions":
                        filterTests = []
                        ignoreBlock = false
                        let list = (value as? [[String: Any]]) ?? [(value as? [String: Any]) ?? [:]]
                        for entry in list {
                            var opts = commonOptions
                            for (k, v) in entry { opts[k] = v }
                            if let condition = opts["test.condition"] as? String {
                                ignoreBlock = !ConstraintExpression.evaluate(condition, name: filterName, options: opts)
                            }
                            if ignoreBlock { continue }
                            let filterOpts = opts.filter { !$0.key.hasPrefix("test.") }
                            let suffix = (opts["test.filter-name"] as? String) ?? (filterOpts.isEmpty ? "" : Self.describe(filterOpts))
                            let key = filterName + suffix
                            let flt = cache[key] ?? makeFilter(key, options: filterOpts)
                            cache[key] = flt
                            filterTests.append(FilterUnderTest(name: key, filter: flt.filter, options: opts, loadError: flt.loadError))
                        }
                        continue
                    case "addFILE":
                        if let name = value as? String { files.append(name) }
                        continue
                    default:
                        faildata = value as? [String: Any] ?? [:]
                        guard i < lines.count else { continue }
                        line = lines[i]; i += 1
                    }
                } else if ignoreBlock || line.hasPrefix("#") || line.allSatisfy(\.isWhitespace) {
                    continue
                }
                if ignoreBlock { continue }
                if filterTests.isEmpty {
                    let flt = cache[filterName] ?? makeFilter(filterName, options: [:])
                    cache[filterName] = flt
                    filterTests = [flt]
                }
                while line.hasSuffix("\r") { line.removeLast() }
                for test in filterTests {
                    if let constraint = faildata["constraint"] as? String,
                       !ConstraintExpression.evaluate(constraint, name: filterName, options: test.options) { continue }
                    if let problem = check(line: line, faildata: faildata, test: test) {
                        result.fail("\(test.name): \(file):\(i): \(problem)\n    line: \(line)")
                    } else {
                        result.passed += 1
                    }
                }
            }
        }
        return result
    }

    private func makeFilter(_ key: String, options: [String: Any]) -> FilterUnderTest {
        let stringOptions = OrderedOptions(options.keys.sorted().map { ($0, "\(options[$0]!)") })
        do {
            let definition = try FilterReader.load(name: filterName, options: stringOptions, configDirectory: configDirectory)
            var lineOptions = LineFilter.Options()
            lineOptions.returnRawHost = true
            lineOptions.checkAllRegex = true
            lineOptions.checkFindTime = false
            let filter = try LineFilter(definition: definition, options: lineOptions)
            return FilterUnderTest(name: key, filter: filter, options: options, loadError: nil)
        } catch {
            return FilterUnderTest(name: key, filter: nil, options: options, loadError: "\(error)")
        }
    }

    /// Returns nil when the line behaves as annotated, else what differs.
    private func check(line: String, faildata: [String: Any], test: FilterUnderTest) -> String? {
        guard let filter = test.filter else { return "filter did not load: \(test.loadError ?? "?")" }
        var found: [Failure]
        if (test.options["logtype"] as? String) == "journal" {
            var text = line
            if let prefix = test.options["test.prefix-line"] as? String { text = prefix + text }
            found = text.withCString { c in
                let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(c).assumingMemoryBound(to: UInt8.self), count: text.utf8.count)
                return ValidUTF8.withValidated(bytes) {
                    filter.process(line: $0, time: SampleLogsConformanceTests.now, timeText: SampleLogsConformanceTests.nowText, now: SampleLogsConformanceTests.now)
                }
            }
        } else {
            found = filter.process(line, now: SampleLogsConformanceTests.now)
        }
        found = found.filter { $0.id != nil && !$0.isNoFail }
        let shouldMatch = faildata["match"] as? Bool ?? false
        guard let failure = found.first else {
            return shouldMatch ? "not matched, but should have" : nil
        }
        if !shouldMatch { return "matched (regex \(failure.regexIndex + 1)), but should not have" }
        if found.count > 1 { return "several regexes matched: \(found.map { $0.regexIndex + 1 })" }
        for (key, expected) in faildata where !["time", "match", "desc", "constraint"].contains(key) {
            switch key {
            case "users":
                let want = (expected as? [String] ?? []).sorted()
                let got = failure.users.sorted()
                if want != got { return "users \(got) != \(want)" }
            case "attempts":
                let want = expected as? Int ?? -1
                if failure.matches.count != want { return "attempts \(failure.matches.count) != \(want)" }
            default:
                var got = failure.fields[key]
                if got == nil && key == "host" { got = failure.id }
                let want = expected as? String
                // fail2ban compares addresses as addresses: 2001:DB8::1 equals 2001:db8::1.
                if let g = got, let w = want, let ga = IPAddress(g), let wa = IPAddress(w), ga == wa { continue }
                if got != want { return "\(key) \(got ?? "nil") != \(want ?? "nil")" }
            }
        }
        if let timeText = faildata["time"] as? String {
            guard let want = Self.localEpoch(timeText) else { return "bad time annotation \(timeText)" }
            guard let got = failure.time, got == want else {
                return "time \(failure.time.map { String($0) } ?? "nil") != \(want) (\(timeText))"
            }
        }
        return nil
    }

    /// `# failJSON: {…}`, `# filterOptions: …`, `# fileOptions: …`, `# addFILE: …`.
    static func annotation(_ line: String) -> (String, String)? {
        var s = Substring(line)
        guard s.first == "#" else { return nil }
        while s.first == "#" { s.removeFirst() }
        if s.first == " " { s.removeFirst() }
        for kind in ["failJSON", "fileOptions", "filterOptions", "addFILE"] where s.hasPrefix(kind + ":") {
            let json = s.dropFirst(kind.count + 1)
            let text = json.trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : (kind, text)
        }
        return nil
    }

    /// Python's `str(dict)` is only used as a cache key here; any stable text will do.
    static func describe(_ options: [String: Any]) -> String {
        "{" + options.keys.sorted().map { "'\($0)': '\(options[$0]!)'" }.joined(separator: ", ") + "}"
    }

    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]` in local time → epoch, like `time.mktime` + microseconds.
    static func localEpoch(_ text: String) -> Double? {
        let parts = text.split(separator: ".", maxSplits: 1)
        let fields = parts[0].split(whereSeparator: { "-T:".contains($0) }).compactMap { Int32($0) }
        guard fields.count == 6 else { return nil }
        var tm = tm()
        tm.tm_year = fields[0] - 1900; tm.tm_mon = fields[1] - 1; tm.tm_mday = fields[2]
        tm.tm_hour = fields[3]; tm.tm_min = fields[4]; tm.tm_sec = fields[5]; tm.tm_isdst = -1
        var epoch = Double(mktime(&tm))
        if parts.count == 2 {
            let digits = String(parts[1].prefix(6))
            let micro = Int(digits.padding(toLength: 6, withPad: "0", startingAt: 0)) ?? 0
            epoch += Double(micro) / 1_000_000.0
        }
        return epoch
    }
}

/// The handful of Python expressions fail2ban's sample annotations use as constraints:
/// `name == 'sshd'` and `opts.get('mode') != 'aggressive'` (with `==`/`!=`).
enum ConstraintExpression {
    static func evaluate(_ expression: String, name: String, options: [String: Any]) -> Bool {
        let isNotEqual = expression.contains("!=")
        let parts = expression.components(separatedBy: isNotEqual ? "!=" : "==")
        guard parts.count == 2 else { return false }
        let lhs = parts[0].trimmingCharacters(in: .whitespaces)
        let rhs = parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        let value: String?
        if lhs == "name" {
            value = name
        } else if lhs.hasPrefix("opts.get("), let open = lhs.firstIndex(of: "'") {
            let key = lhs[lhs.index(after: open)...].prefix { $0 != "'" }
            value = options[String(key)].map { "\($0)" }
        } else {
            return false
        }
        return isNotEqual ? value != rhs : value == rhs
    }
}
