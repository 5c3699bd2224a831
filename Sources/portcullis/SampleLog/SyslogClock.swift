import PortcullisFilter

/// Formats epoch seconds as the classic BSD-syslog timestamp `Mon DD HH:MM:SS`
/// (UTC, day space-padded as rsyslog writes it: `Dec  9 …`). The month/day part is
/// recomputed only when the day changes.
struct SyslogClock {
    private static let months: [StaticString] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private var cachedDay = Int64.min
    private var dayPrefix: [UInt8] = []

    /// Appends `Mon DD HH:MM:SS` for `epoch` to `sink`.
    mutating func write(_ epoch: Int64, to sink: inout ByteSink) {
        let day = epoch >= 0 ? epoch / 86_400 : (epoch - 86_399) / 86_400
        if day != cachedDay {
            cachedDay = day
            let c = CivilTime.civilFromDays(Int(day))
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
