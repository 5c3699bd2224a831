import Testing
@testable import PortcullisFilter

/// The regexes must be fail2ban's, character for character: where a date starts and ends
/// and which template wins follow from them.
@Suite struct DateTemplateRegexTests {
    @Test func defaultTemplatesInFail2bansOrder() {
        let detector = DateDetector()
        let got = detector.entries.map { ($0.template.pythonRegex, $0.template.flags.rawValue) }
        #expect(got.count == fail2banDefaultRegexes.count)
        for (g, e) in zip(got, fail2banDefaultRegexes) {
            #expect(g.0 == e.regex)
            #expect(g.1 == e.flags, "\(e.regex)")
        }
        #expect(detector.entries.prefix(14).allSatisfy { $0.template.weight == 100 })
        #expect(detector.entries.dropFirst(14).allSatisfy { $0.template.weight == 1 })
    }

    @Test(arguments: fail2banPatternRegexes.indices)
    func customPatterns(_ index: Int) throws {
        let (pattern, regexes) = fail2banPatternRegexes[index]
        let detector = try DateDetector(datePattern: pattern)
        #expect(detector.entries.map(\.template.pythonRegex) == regexes)
    }

    @Test func yearPrefixFollowsTheCurrentYear() {
        #expect(TimeDirectives.yearPrefixPattern(currentYear: 2026) == "20[012]")
        #expect(TimeDirectives.yearPrefixPattern(currentYear: 2005) == "200")
        #expect(TimeDirectives.yearPrefixPattern(currentYear: 2018) == "20[012]")
        #expect(TimeDirectives.yearPrefixPattern(currentYear: 2015) == "20[01]")
    }

    @Test func badPatternsThrow() {
        #expect(throws: DatePatternError.self) { try DateDetector(datePattern: "%H:%M:%Q") }
        #expect(throws: DatePatternError.self) { try DateDetector(datePattern: "%H:%M %H") }
        #expect(throws: DatePatternError.self) { try DateDetector(datePattern: "(%H:%M") }
        #expect(throws: DatePatternError.self) { try DateDetector(datePattern: "%H:%M\n%H:%M") }
        #expect(throws: DatePatternError.self) { try DateDetector(datePattern: "%H:%M", defaultTimeZone: "UTC-5") }
        #expect(throws: DatePatternError.self) { try DateDetector(datePattern: "%H:%M", defaultTimeZone: "XYZ") }
        do {
            _ = try DateDetector(datePattern: "%H:%E")
            Issue.record("no error")
        } catch {
            #expect(error.pattern == "%H:%E")
            #expect(error.reason == .unknownDirective("%E"))
        }
    }

    @Test func specialNamesAreCaseInsensitive() throws {
        #expect(try DateDetector(datePattern: "epoch").entries.map(\.template.name) == ["Epoch"])
        #expect(try DateDetector(datePattern: "{^ln-beg}tai64n").entries.map(\.template.name) == ["{^LN-BEG}TAI64N"])
        #expect(try DateDetector(datePattern: "{none}").isNone)
        #expect(try !DateDetector(datePattern: "EPOCH").isNone)
        #expect(!DateDetector().isNone)
    }
}
