import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock time in epoch seconds, the unit fail2ban's tickets, bans and stores use.
enum Clock {
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The last two seconds formatted by `text(_:)`: log lines come in bursts, and a `Found`
    /// line shows two times (the failure's and the log line's own), often a second apart.
    private static let recentTexts = Mutex<[(second: time_t, text: String)]>([(-1, ""), (-1, "")])

    /// fail2ban's `MyTime.time2str`: local `YYYY-MM-DD HH:MM:SS`.
    static func text(_ time: Double) -> String {
        let second = time_t(time)
        if let cached = recentTexts.withLock({ recent in recent.first { $0.second == second }?.text }) { return cached }
        let text = format(second)
        recentTexts.withLock { recent in recent = [recent[1], (second, text)] }
        return text
    }

    private static func format(_ second: time_t) -> String {
        var seconds = second
        var parts = tm()
        localtime_r(&seconds, &parts)
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday)) \(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))"
    }

    private static func pad(_ value: Int32) -> String {
        let digits = String(value)
        return digits.count < 2 ? "0" + digits : digits
    }
}
