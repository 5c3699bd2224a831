import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import PortcullisFilter

/// The scanners' dates are converted once per minute (``ScannedTimeCache``): every second
/// across DST changes and the year fail2ban assumes must still convert as PCRE2's path does.
@Suite struct DateMinuteCacheTests {
    init() { DateTestZone.set() }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Syslog lines for every second from `start` (local naive fields) for `seconds` seconds.
    static func lines(year: Int, month: Int, day: Int, hour: Int, minute: Int, seconds: Int) -> [String] {
        var t = tm()
        t.tm_year = Int32(year - 1900); t.tm_mon = Int32(month - 1); t.tm_mday = Int32(day)
        t.tm_hour = Int32(hour); t.tm_min = Int32(minute); t.tm_sec = 0
        let base = timegm(&t)
        return (0..<seconds).map { k in
            var s = base + k
            var f = tm()
            gmtime_r(&s, &f)
            let d = Int(f.tm_mday)
            func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
            return "\(months[Int(f.tm_mon)]) \(d < 10 ? " \(d)" : "\(d)") \(two(f.tm_hour)):\(two(f.tm_min)):\(two(f.tm_sec)) host x"
        }
    }

    func compare(_ lines: [String], now: Double) -> Int {
        let fast = DateDetector()
        let slow = DateDetector()
        slow.useFastPaths = false
        var compared = 0
        for line in lines {
            let a = fast.match(line, now: now)
            let b = slow.match(line, now: now)
            #expect(a == b, "\(line) now \(now)")
            if a != b { break }
            compared += 1
        }
        #expect(fast.fastPathHits > lines.count - 2)
        return compared
    }

    @Test func daylightSavingChanges() {
        // CET→CEST on 2005-03-27 at 02:00, back on 2005-10-30 at 03:00.
        let spring = Self.lines(year: 2005, month: 3, day: 27, hour: 1, minute: 55, seconds: 70 * 60)
        let autumn = Self.lines(year: 2005, month: 10, day: 30, hour: 1, minute: 55, seconds: 70 * 60)
        #expect(compare(spring, now: 1_120_000_000) == spring.count)
        #expect(compare(autumn, now: 1_130_700_000) == autumn.count)
    }

    @Test func assumedYearFlipsWithinAMinute() {
        // now = 2005-01-01 00:00:30 local: a year-less date more than a day ahead is last year's.
        var t = tm()
        t.tm_year = 105; t.tm_mon = 0; t.tm_mday = 1; t.tm_hour = 0; t.tm_min = 0; t.tm_sec = 30; t.tm_isdst = -1
        let now = Double(mktime(&t)) + 0.25
        let lines = Self.lines(year: 2005, month: 1, day: 2, hour: 0, minute: 0, seconds: 3 * 60)
            + Self.lines(year: 2004, month: 12, day: 31, hour: 23, minute: 58, seconds: 4 * 60)
        #expect(compare(lines, now: now) == lines.count)
    }
}
