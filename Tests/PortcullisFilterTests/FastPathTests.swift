import Foundation
import Testing
import PortcullisConfig
import PortcullisTestSupport
@testable import PortcullisFilter

/// The engine's fast paths against its plain ones: the callback entry point against
/// `process(line:now:) -> [Failure]`, the ASCII-compiled regexes against the UTF ones, the
/// slot-backed fields against fail2ban's dictionary semantics.
@Suite struct FastPathTests {
    static let now: Double = 1_124_013_600

    /// Every stock filter with its sample log (where both load).
    static func stockFilters() throws -> [(name: String, definition: FilterDefinition, lines: [String])] {
        let config = try DebianFail2ban.configDirectory()
        let logs = try DebianFail2ban.testsDirectory().appendingPathComponent("files/logs")
        let names = try FileManager.default.contentsOfDirectory(atPath: config.appendingPathComponent("filter.d").path)
            .filter { $0.hasSuffix(".conf") && !$0.hasSuffix("common.conf") }
            .map { String($0.dropLast(5)) }
            .sorted()
        var result: [(String, FilterDefinition, [String])] = []
        for name in names {
            guard let text = try? String(contentsOf: logs.appendingPathComponent(name), encoding: .utf8),
                  let definition = try? FilterReader.load(name: name, options: OrderedOptions([]),
                                                          configDirectory: config.path)
            else { continue }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
                .map(String.init).filter { !$0.hasPrefix("#") }
            result.append((name, definition, lines))
        }
        return result
    }

    static func filter(_ definition: FilterDefinition) -> LineFilter? {
        var options = LineFilter.Options()
        options.checkAllRegex = true
        options.ignorePending = false
        options.checkFindTime = false
        return try? LineFilter(definition: definition, options: options)
    }

    @Test func callbackEntryPointReportsWhatTheArrayEntryPointReturns() throws {
        var compared = 0
        for (name, definition, lines) in try Self.stockFilters() {
            guard let plain = Self.filter(definition), let fast = Self.filter(definition) else { continue }
            for line in lines {
                let expected = plain.process(line, now: Self.now)
                var got: [Failure] = []
                var hits: [(Int, Bool, Bool)] = []
                var copy = line
                let outcome = copy.withUTF8 { bytes in
                    fast.process(line: bytes, now: Self.now) { hit in
                        hits.append((hit.regexIndex, hit.isNoFail, hit.hasID))
                        got.append(hit.makeFailure())
                    }
                }
                #expect(got == expected, "\(name): \(line)")
                #expect(hits.map(\.0) == expected.map(\.regexIndex))
                #expect(hits.map(\.1) == expected.map(\.isNoFail))
                #expect(hits.map(\.2) == expected.map { $0.id != nil })
                #expect(outcome.prefRegexMatched == plain.lastPrefRegexMatched)
                #expect(outcome.ignored == !plain.lastIgnoredBy.isEmpty)
                compared += 1
            }
        }
        #expect(compared > 500)
    }

    @Test func hitsKeptPastTheirLineKeepTheirFailure() throws {
        // Records are reused once nothing references them: a kept hit must keep its record.
        var compared = 0
        for (name, definition, lines) in try Self.stockFilters() {
            guard let plain = Self.filter(definition), let fast = Self.filter(definition) else { continue }
            var expected: [Failure] = []
            var kept: [FailureMatch] = []
            for line in lines + lines {
                expected += plain.process(line, now: Self.now)
                var copy = line
                _ = copy.withUTF8 { bytes in fast.process(line: bytes, now: Self.now) { kept.append($0) } }
            }
            #expect(kept.map { $0.makeFailure() } == expected, "\(name)")
            compared += expected.count
        }
        #expect(compared > 500)
    }

    @Test func asciiCodeMatchesLikeTheUTFCodeOnASCIISubjects() throws {
        var compared = 0
        for (name, definition, lines) in try Self.stockFilters() {
            guard let filter = Self.filter(definition) else { continue }
            let regexes = (filter.prefRegex.map { [$0] } ?? []) + filter.failRegexes + filter.ignoreRegexes
            for line in lines where line.utf8.allSatisfy({ $0 < 0x80 }) {
                let subject = Array(line.utf8) + [0x0A]
                subject.withUnsafeBufferPointer { s in
                    for regex in regexes {
                        let re = regex.compiled
                        let utf = re.search(s)
                        let utfGroups = (0...re.captureCount).map { re.range(ofGroup: Int32($0)) }
                        let ascii = re.search(s, ascii: true)
                        let asciiGroups = (0...re.captureCount).map { re.range(ofGroup: Int32($0)) }
                        #expect(utf == ascii, "\(name): \(regex.source) on \(line)")
                        if utf == .matched { #expect(utfGroups == asciiGroups, "\(name): \(regex.source) on \(line)") }
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 5000)
    }

    @Test func asciiCodeOnlyForASCIIPatterns() throws {
        // U+017F (long s) folds to "s" under Unicode caseless matching: not for the ASCII code.
        let re = try CompiledRegex(pcre2: "(?i)fo\u{17F}", asciiVariant: true)
        let subject = Array("FOS\n".utf8)
        subject.withUnsafeBufferPointer { s in
            #expect(re.search(s) == .matched)
            #expect(re.search(s, ascii: true) == .matched)
        }
    }

    @Test func fieldsKeepPresentWithoutValueApartFromAbsent() throws {
        let f = try LineFilter(definition: FilterDefinition(
            name: "t", failRegex: [#"^user (?:<F-USER>[a-z]+</F-USER>|-) from <HOST>$"#]))
        let unset = f.process("user - from 192.0.2.1", now: Self.now).first
        #expect(unset?.fields.values.keys.contains("user") == true)
        #expect(unset?.fields["user"] == nil)
        #expect(unset?.fields.values["user"] == .some(nil))
        #expect(unset?.fields.values["fid"] == nil)
        var fields = try #require(unset?.fields)
        fields["custom"] = "x"
        fields["user"] = "bob"
        #expect(fields.values["custom"] == "x")
        #expect(fields["user"] == "bob")
        fields.remove("user")
        #expect(fields.values.keys.contains("user") == false)
        var plain = FailureFields()
        plain.values = fields.values
        #expect(plain == fields)
    }
}
