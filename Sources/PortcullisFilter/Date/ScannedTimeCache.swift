/// Epoch times of the dates the fast scanners read, converted once per minute.
///
/// Within one minute a date's epoch is the minute's epoch plus its seconds, unless the zone's
/// offset changes inside that minute or the year fail2ban assumes for a year-less date flips
/// there; either would make second 59 land elsewhere than 59 seconds after second 0, so both
/// ends are converted and compared, and a minute that fails the check is converted per date.
struct ScannedTimeCache {
    private struct Minute: Equatable {
        var year: Int?, month: Int, day: Int, hour: Int, minute: Int, zone: Int?
    }

    private var minute: Minute?
    private var now: Double = .nan
    /// Epoch of second 0 of `minute`, when the whole minute is uniform.
    private var base: Double?

    mutating func time(of r: FastDateScanner.Result, zone: Int?, now: Double,
                       clock: UnsafeMutablePointer<LocalClock>) -> (time: Double?, dropsLine: Bool) {
        func resolve(_ second: Int) -> (time: Double?, dropsLine: Bool) {
            DateFields.resolve(year: r.year, month: r.month, day: r.day, hour: r.hour, minute: r.minute,
                               second: second, zone: zone, weekday: nil, julian: nil, weekOfYear: nil,
                               weekStartsMonday: false, now: now, clock: clock)
        }
        let key = Minute(year: r.year, month: r.month, day: r.day, hour: r.hour, minute: r.minute, zone: zone)
        if key != minute || now != self.now {
            minute = key
            self.now = now
            let first = resolve(0), last = resolve(59)
            if let t0 = first.time, let t59 = last.time, !first.dropsLine, !last.dropsLine, t59 - t0 == 59 {
                base = t0
            } else {
                base = nil
            }
        }
        if let base { return (base + Double(r.second), false) }
        return resolve(r.second)
    }
}
