import Testing
import PortcullisConfig
@testable import PortcullisFilter

/// Behaviour beyond the fail2ban-generated table: hostile input, fractions, zones, `now`.
@Suite struct DateDetectorTests {
    init() { DateTestZone.set() }
    let now = 1106513999.0 // 2005-01-23 21:59:59 CET

    @Test func hugeLinesAndJunkDoNotCrash() throws {
        let detector = DateDetector()
        let big = String(repeating: "a1 ", count: 40_000)
        #expect(detector.match(big, now: now) == nil)
        let digits = String(repeating: "9", count: 100_000)
        #expect(detector.match(digits, now: now) == nil)
        let datesEverywhere = String(repeating: "Jan 23 21:59:59 ", count: 6_000)
        #expect(detector.match(datesEverywhere, now: now)?.range == 0..<15)
        let replaced = "\u{FFFD}\u{FFFD} Jan 23 21:59:59 \u{FFFD} host"
        let m = detector.match(replaced, now: now)
        #expect(m?.time == now)
        #expect(m?.range == 7..<22) // after two 3-byte replacement characters and a space
        #expect(detector.match("", now: now) == nil)
        #expect(detector.match("\0\0\0", now: now) == nil)
        let custom = try DateDetector(datePattern: "%Y-%m-%d %H:%M:%S")
        #expect(custom.match(String(repeating: "2005-01-2", count: 12_000), now: now) == nil)
    }

    @Test func nonASCIIDigitsConvertLikePython() throws {
        // Python's int() reads any decimal digit; \d matches them.
        let custom = try DateDetector(datePattern: #"^(?P<Y>\d{4})-%m-%d %H:%M:%S"#)
        #expect(custom.match("٢٠٠٥-01-23 21:59:59 x", now: now)?.time == now)
    }

    @Test func epochFractionsAreKept() throws {
        let d = try DateDetector(datePattern: "EPOCH")
        #expect(d.match("1106513999.123456 x", now: now)?.time == 1106513999.123456)
        let long = try DateDetector(datePattern: "LEPOCH")
        #expect(long.match("1106513999123 x", now: now)?.time == 1106513999123.0 / 1000)
        #expect(long.match("1106513999123456 x", now: now)?.time == 1106513999123456.0 / 1_000_000)
        #expect(long.match("11065139991234 x", now: now) == DateMatch(range: 0..<14, time: 11065139991.234)) // 11 digits + ms
    }

    @Test func patternFractionsAreDroppedAsFail2banDoes() throws {
        let d = try DateDetector(datePattern: #"^%Y-%m-%d %H:%M:%S\.%f"#)
        #expect(d.match("2005-01-23 21:59:59.999999 x", now: now) == DateMatch(range: 0..<26, time: now))
    }

    @Test func yearInferenceUsesNow() {
        let d = DateDetector()
        let newYear = 1104534000.0 // 2005-01-01 00:00:00 CET
        #expect(d.match("Dec 31 23:59:59 host", now: newYear + 5)?.time == newYear - 1)
        // More than a day ahead of now: last year.
        #expect(d.match("Jan  3 00:00:00 host", now: newYear)?.time == newYear + 2 * 86400 - 366 * 86400)
        #expect(d.match("Jan  2 00:00:00 host", now: newYear)?.time == newYear + 86400)
    }

    @Test func zones() throws {
        let utc = DateDetector(defaultTimeZone: "UTC")
        #expect(utc.match("2005-01-23 20:59:59 x", now: now)?.time == now)
        let plus2 = DateDetector(defaultTimeZone: "UTC+0200")
        #expect(plus2.match("2005-01-23 22:59:59 x", now: now)?.time == now)
        // The zone in the text wins over the default.
        #expect(plus2.match("2005-01-23T21:59:59+01:00 x", now: now)?.time == now)
        #expect(DateDetector().match("2005-01-23T20:59:59Z x", now: now)?.time == now)
        #expect(try DateDetector.validateTimeZone("CEST") == 120)
        #expect(try DateDetector.validateTimeZone("UTC-0130") == -90)
        #expect(throws: DatePatternError.self) { try DateDetector.validateTimeZone("UTC-5") }
        // Summer time from the TZ rules.
        #expect(DateDetector().match("2005-07-01 12:00:00 x", now: now)?.time == 1120212000)
    }

    @Test func unknownZoneAbbreviationDropsTheLine() throws {
        let d = try DateDetector(datePattern: "%Y-%m-%d %H:%M:%S %Z")
        #expect(d.match("2005-01-23 21:59:59 FOO x", now: now)?.dropsLine == true)
        #expect(d.match("2005-01-23 20:59:59 GMT x", now: now) == DateMatch(range: 0..<23, time: now))
    }

    @Test func noneGivesAnEmptyRange() throws {
        let d = try DateDetector(datePattern: "{NONE}")
        #expect(d.isNone)
        #expect(d.match("Jan 23 21:59:59 x", now: now) == DateMatch(range: 0..<0, time: nil))
    }

    @Test func tai64n() {
        let d = DateDetector()
        #expect(d.match("@4000000041f4104f00000000 x", now: now) == DateMatch(range: 0..<25, time: 1106513999))
    }

    @Test func definitionDetectorTakesTheDatePatternUnlessBlank() throws {
        let defaults = DateDetector().templateNames
        #expect(try DateDetector(definition: FilterDefinition(name: "t"), timeZone: nil).templateNames == defaults)
        let blank = FilterDefinition(name: "t", datePattern: " \n\t ")
        #expect(try DateDetector(definition: blank, timeZone: nil).templateNames == defaults)
        let epoch = FilterDefinition(name: "t", datePattern: "EPOCH")
        #expect(try DateDetector(definition: epoch, timeZone: nil).templateNames == ["Epoch"])
        // An override wins over the definition's pattern; a blank one falls back to the defaults.
        #expect(try DateDetector(definition: epoch, datePattern: "TAI64N", timeZone: nil).templateNames == ["TAI64N"])
        #expect(try DateDetector(definition: epoch, datePattern: " ", timeZone: nil).templateNames == defaults)
        #expect(throws: DatePatternError.self) { try DateDetector(definition: epoch, timeZone: "UTC-5") }
    }

    @Test func invalidCalendarValuesGiveNil() {
        let d = DateDetector()
        #expect(d.match("2005-02-30 12:00:00 x", now: now)?.time == nil)
        #expect(d.match("Jan 23 24:00:00 x", now: now)?.time == nil)
        #expect(d.match("Jan 23 21:59:60 x", now: now)?.time == nil)
    }
}
