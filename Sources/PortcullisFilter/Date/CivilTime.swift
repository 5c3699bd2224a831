#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Proleptic-Gregorian calendar arithmetic on naive (zone-less) date-times, as Python's
/// `datetime.datetime` does it.
///
/// fail2ban's strptime builds a naive `datetime`, shifts it by the zone offset, compares it
/// with the naive local "now" and only then asks libc for the epoch. Doing the same
/// arithmetic on integers keeps that exact while costing no allocation and no libc call.
public enum CivilTime {
    /// Days since 1970-01-01 of a (valid) civil date.
    @inline(__always)
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Civil date of a day count since 1970-01-01.
    @inline(__always)
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    @inline(__always)
    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    @inline(__always)
    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Python's `datetime(year, month, day, hour, minute, second)` validity.
    @inline(__always)
    static func isValid(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) -> Bool {
        y >= 1 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)
            && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59
    }

    /// A naive date-time as seconds since the naive 1970-01-01 00:00:00.
    @inline(__always)
    static func naiveSeconds(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) -> Int {
        daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s
    }

    /// Python's `date(year, 1, 1).weekday()` (Monday = 0).
    static func weekdayOfJanuaryFirst(_ year: Int) -> Int {
        // 1970-01-01 was a Thursday (3).
        let days = daysFromCivil(year, 1, 1)
        return ((days % 7) + 7 + 3) % 7
    }
}

/// The process's local time zone (the TZ environment, through libc), with the two caches
/// that keep libc off the per-line path.
///
/// - `naiveNow`: the naive local wall clock of the injected `now` (Python's
///   `datetime.fromtimestamp(now)`), recomputed only when `now` crosses a second.
/// - `localEpoch`: `time.mktime()` of a naive local date-time. For the last seen day, local
///   midnight's epoch is kept and, when the offset is the same at 00:00 and 23:59 (no DST
///   change that day), the epoch is midnight plus the seconds: `mktime` twice a day. On a
///   DST-change day, the last minute's epoch is kept instead (changes fall on minutes).
struct LocalClock {
    private var nowSecond: Int = .min
    private var nowNaive: Int = 0
    private var nowYear: Int = 0
    private var nowMonth: Int = 0
    private var nowDay: Int = 0

    private var minuteKey: Int = .min
    private var minuteEpoch: Int = 0
    private var dayKey: Int = .min
    private var dayEpoch: Int = 0
    /// The UTC offset is the same all day long (no DST change): epoch = midnight + seconds.
    private var dayUniform = false

    /// Naive local fields of `now`: seconds (microseconds dropped, see ``isAfterNow``),
    /// year, month and day.
    @inline(__always)
    mutating func now(_ now: Double) -> (naive: Int, year: Int, month: Int, day: Int) {
        // datetime.fromtimestamp rounds to microseconds, half-even; a rounding up to the
        // next second moves the naive second.
        var second = now.rounded(.down)
        let micro = ((now - second) * 1_000_000).rounded(.toNearestOrEven)
        if micro >= 1_000_000 { second += 1 }
        guard second.isFinite, abs(second) < 1e15 else { return (0, 1970, 1, 1) }
        let s = Int(second)
        if s != nowSecond {
            nowSecond = s
            var t = time_t(s)
            var tmv = tm()
            localtime_r(&t, &tmv)
            nowYear = Int(tmv.tm_year) + 1900
            nowMonth = Int(tmv.tm_mon) + 1
            nowDay = Int(tmv.tm_mday)
            nowNaive = CivilTime.naiveSeconds(nowYear, nowMonth, nowDay, Int(tmv.tm_hour), Int(tmv.tm_min), Int(tmv.tm_sec))
        }
        return (nowNaive, nowYear, nowMonth, nowDay)
    }

    /// `time.mktime(datetime(y, mo, d, h, mi, s).timetuple())` (`tm_isdst = -1`), fields valid.
    @inline(__always)
    mutating func localEpoch(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) -> Int {
        let day = (y * 13 + mo) * 32 + d
        if day != dayKey {
            dayKey = day
            dayEpoch = Self.mktime(y, mo, d, 0, 0)
            dayUniform = Self.mktime(y, mo, d, 23, 59) - dayEpoch == 86340
        }
        if dayUniform { return dayEpoch + h * 3600 + mi * 60 + s }
        // A DST change that day: ask libc for every minute.
        let key = (day * 24 + h) * 60 + mi
        if key != minuteKey {
            minuteEpoch = Self.mktime(y, mo, d, h, mi)
            minuteKey = key
        }
        return minuteEpoch + s
    }

    private static func mktime(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int) -> Int {
        var tmv = tm()
        tmv.tm_year = Int32(y - 1900)
        tmv.tm_mon = Int32(mo - 1)
        tmv.tm_mday = Int32(d)
        tmv.tm_hour = Int32(h)
        tmv.tm_min = Int32(mi)
        tmv.tm_sec = 0
        tmv.tm_isdst = -1
        #if canImport(Glibc)
        return Int(Glibc.mktime(&tmv))
        #else
        return Int(Darwin.mktime(&tmv))
        #endif
    }
}
