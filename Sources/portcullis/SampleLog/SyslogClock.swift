/// Formats epoch seconds as the classic BSD-syslog timestamp `Mon DD HH:MM:SS`
/// (UTC, day space-padded as rsyslog writes it: `Dec  9 …`). The month/day part is
/// recomputed only when the day changes.
struct SyslogClock {
    private static let months: [StaticString] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private var cachedDay = Int64.min
    private var dayPrefix: [UInt8] = []

    /// (year, month 1-12, day 1-31) of a day count since 1970-01-01 (proleptic Gregorian).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        // Howard Hinnant's days_from_civil inverse.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Appends `Mon DD HH:MM:SS` for `epoch` to `sink`.
    mutating func write(_ epoch: Int64, to sink: inout ByteSink) {
        let day = epoch >= 0 ? epoch / 86_400 : (epoch - 86_399) / 86_400
        if day != cachedDay {
            cachedDay = day
            let c = Self.civil(fromDays: day)
            var prefix: [UInt8] = []
            Self.months[c.month - 1].withUTF8Buffer { prefix.append(contentsOf: $0) }
            prefix.append(0x20)
            prefix.append(c.day < 10 ? 0x20 : 0x30 &+ UInt8(c.day / 10))
            prefix.append(0x30 &+ UInt8(c.day % 10))
            prefix.append(0x20)
            dayPrefix = prefix
        }
        sink.put(dayPrefix)
        let s = Int(epoch - day * 86_400)
        sink.twoDigits(s / 3600)
        sink.byte(0x3A)
        sink.twoDigits(s / 60 % 60)
        sink.byte(0x3A)
        sink.twoDigits(s % 60)
    }
}
