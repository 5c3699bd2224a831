/// fail2ban's strptime (`reGroupDictStrptime`): the named groups of a date-pattern match
/// read back into an epoch, straight from the line's bytes.
///
/// The rules are fail2ban's, including its quirks: a missing year is "this year, unless
/// that is more than a day ahead of now, then last year"; a missing day is "today, unless
/// that is ahead of now, then yesterday"; `%y` ≤ 2000 means 20yy; `%f` is ignored; zone
/// offsets are fixed; with neither zone nor `logtimezone` the local zone (TZ) applies
/// through `mktime`. Invalid values (`ValueError` in Python) give nil.
struct DateFields {
    enum Field: Equatable {
        case year, year2, month, monthName, monthAbbr, day, hour, hour12, minute, second
        case weekdayName, weekdayAbbr, weekdayNumber, julian, weekSunday, weekMonday, zone
    }

    /// (field, group number) in group order: Python's `groupdict()` order, later wins.
    let fields: [(Field, Int32)]
    /// `%p`'s group (read by `%I`); `hasAMPM` false when the pattern has none.
    let ampmGroup: Int32
    let hasAMPM: Bool

    init(_ regex: CompiledRegex) {
        var list: [(Field, Int32)] = []
        let map: [String: Field] = [
            "Y": .year, "y": .year2, "m": .month, "B": .monthName, "b": .monthAbbr, "d": .day,
            "H": .hour, "I": .hour12, "M": .minute, "S": .second, "A": .weekdayName, "a": .weekdayAbbr,
            "w": .weekdayNumber, "j": .julian, "U": .weekSunday, "W": .weekMonday, "z": .zone, "Z": .zone,
        ]
        for (name, numbers) in regex.groupNumbers {
            guard let field = map[name], let number = numbers.first else { continue }
            list.append((field, number))
        }
        list.sort { $0.1 < $1.1 }
        fields = list
        ampmGroup = regex.groupNumbers["p"]?.first ?? 0
        hasAMPM = regex.groupNumbers["p"] != nil
    }

    /// Three-letter month and weekday names, lower case, packed one per `UInt32` (``abbrIndex``).
    static let monthAbbrs: [UInt32] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map(pack)
    private static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
    static let weekdayAbbrs: [UInt32] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(pack)
    private static let weekdayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    private static func pack(_ s: String) -> UInt32 {
        s.utf8.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Index of a 3-letter ASCII name, case-insensitive (Python: `list.index(val.lower())`).
    @inline(__always)
    static func abbrIndex(_ line: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ table: [UInt32]) -> Int? {
        guard r.count == 3 else { return nil }
        var key: UInt32 = 0
        for i in r {
            let c = line[i]
            guard c < 0x80 else { return nil }
            key = key << 8 | UInt32(c >= 65 && c <= 90 ? c + 32 : c)
        }
        return table.firstIndex(of: key)
    }

    private static func nameIndex(_ line: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ table: [String]) -> Int? {
        let text = String(decoding: UnsafeBufferPointer(rebasing: line[r]), as: UTF8.self).lowercased()
        return table.firstIndex(of: text)
    }

    private static func lowerASCII(_ line: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> [UInt8] {
        r.map { let c = line[$0]; return c >= 65 && c <= 90 ? c + 32 : c }
    }

    private static let invalid: (time: Double?, dropsLine: Bool) = (nil, false)
    private static let dropped: (time: Double?, dropsLine: Bool) = (nil, true)

    @inline(__always)
    func epoch(_ line: UnsafeBufferPointer<UInt8>, regex: CompiledRegex, now: Double, clock: UnsafeMutablePointer<LocalClock>, defaultZone: Int?) -> (time: Double?, dropsLine: Bool) {
        var year: Int? = nil, month: Int? = nil, day: Int? = nil, zone: Int? = nil
        var weekday: Int? = nil, julian: Int? = nil, weekOfYear: Int? = nil, weekStartsMonday = false
        var hour = 0, minute = 0, second = 0
        for (field, group) in fields {
            guard let r = regex.range(ofGroup: group) else { continue }
            switch field {
            case .year:
                guard let v = PythonNumbers.int(line, r) else { return Self.invalid }
                year = v
            case .year2:
                guard let v = PythonNumbers.int(line, r) else { return Self.invalid }
                year = v <= 2000 ? v + 2000 : v
            case .month:
                guard let v = PythonNumbers.int(line, r) else { return Self.invalid }
                month = v
            case .monthAbbr:
                guard let v = Self.abbrIndex(line, r, Self.monthAbbrs) else { return Self.invalid }
                month = v + 1
            case .monthName:
                guard let v = Self.nameIndex(line, r, Self.monthNames) else { return Self.invalid }
                month = v + 1
            case .day:
                guard let v = PythonNumbers.int(line, r) else { return Self.invalid }
                day = v
            case .hour:
                guard let v = PythonNumbers.int(line, r) else { return Self.invalid }
                hour = v
            case .hour12:
                guard let v = PythonNumbers.int(line, r) else { return Self.invalid }
                hour = v
                var ampm: [UInt8] = []
                if hasAMPM {
                    // found_dict.get('p', '') is None for an unmatched optional %p: AttributeError.
                    guard let pr = regex.range(ofGroup: ampmGroup) else { return Self.dropped }
                    ampm = Self.lowerASCII(line, pr)
                }
                if ampm.isEmpty || ampm == Array("am".utf8) {
                    if hour == 12 { hour = 0 }
                } else if ampm == Array("pm".utf8) {
                    if hour != 12 { hour += 12 }
                }
            case .minute:
                guard let v = PythonNumbers.int(line, r) else { return Self.invalid }
                minute = v
            case .second:
                guard let v = PythonNumbers.int(line, r) else { return Self.invalid }
                second = v
            case .weekdayAbbr:
                guard let v = Self.abbrIndex(line, r, Self.weekdayAbbrs) else { return Self.invalid }
                weekday = v
            case .weekdayName:
                guard let v = Self.nameIndex(line, r, Self.weekdayNames) else { return Self.invalid }
                weekday = v
            case .weekdayNumber:
                guard let v = PythonNumbers.int(line, r) else { return Self.invalid }
                weekday = v - 1 < 0 ? 6 : v - 1
            case .julian:
                guard let v = PythonNumbers.int(line, r) else { return Self.invalid }
                julian = v
            case .weekSunday, .weekMonday:
                guard let v = PythonNumbers.int(line, r) else { return Self.invalid }
                weekOfYear = v
                weekStartsMonday = field == .weekMonday
            case .zone:
                zone = nil
                let n = r.count
                let b = r.lowerBound
                if (n == 1 && line[b] == UInt8(ascii: "Z"))
                    || (n == 3 && ((line[b] == 85 && line[b + 1] == 84 && line[b + 2] == 67)      // UTC
                                || (line[b] == 71 && line[b + 1] == 77 && line[b + 2] == 84))) { // GMT
                    zone = 0
                } else if let m = ZoneOffset.numericOffset(line, r) {
                    zone = m
                } else {
                    switch ZoneOffset.parse(UnsafeBufferPointer(rebasing: line[r])) {
                    case .minutes(let m): zone = m
                    case .invalid: return Self.invalid
                    case .unknownAbbreviation: return Self.dropped
                    }
                }
            }
        }
        return Self.resolve(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                            zone: zone ?? defaultZone, weekday: weekday, julian: julian,
                            weekOfYear: weekOfYear, weekStartsMonday: weekStartsMonday, now: now, clock: clock)
    }

    /// The calendar half of fail2ban's strptime, once the fields are read.
    @inline(__always)
    static func resolve(year: Int?, month: Int?, day: Int?, hour: Int, minute: Int, second: Int, zone: Int?,
                        weekday: Int?, julian: Int?, weekOfYear: Int?, weekStartsMonday: Bool,
                        now: Double, clock: UnsafeMutablePointer<LocalClock>) -> (time: Double?, dropsLine: Bool) {
        var year = year, month = month, day = day, julian = julian
        var assumeYear = false
        if year == nil {
            year = clock.pointee.now(now).year
            assumeYear = true
        }
        if month == nil || day == nil {
            if julian == nil, let week = weekOfYear, let weekday {
                julian = julianDay(year: year!, week: week, weekday: weekday, weekStartsMonday: weekStartsMonday)
            }
            if let julian {
                let days = CivilTime.daysFromCivil(year!, 1, 1) + julian - 1
                // datetime.fromordinal range: 0001-01-01 … 9999-12-31.
                guard days >= CivilTime.daysFromCivil(1, 1, 1), days <= CivilTime.daysFromCivil(9999, 12, 31) else { return invalid }
                let c = CivilTime.civilFromDays(days)
                year = c.year; month = c.month; day = c.day
            }
        }
        var assumeToday = false
        if month == nil && day == nil {
            let n = clock.pointee.now(now)
            month = n.month; day = n.day
            assumeToday = true
        }
        // datetime(year, month, None) is a TypeError: the line is dropped.
        guard let y = year, let mo = month, let d = day else { return dropped }
        guard CivilTime.isValid(y, mo, d, hour, minute, second) else { return invalid }

        // Common case: complete date, local zone.
        if zone == nil && !assumeYear && !assumeToday {
            return (Double(clock.pointee.localEpoch(y, mo, d, hour, minute, second)), false)
        }
        var naive = CivilTime.naiveSeconds(y, mo, d, hour, minute, second)
        if let zone { naive -= zone * 60 }
        if assumeToday && naive > clock.pointee.now(now).naive { naive -= 86400 }
        if assumeYear && naive > clock.pointee.now(now).naive + 86400 {
            // date_result.replace(year=year-1, month=month, day=day): time of day kept.
            let timeOfDay = ((naive % 86400) + 86400) % 86400
            guard d <= CivilTime.daysInMonth(y - 1, mo), y - 1 >= 1 else { return invalid }
            naive = CivilTime.daysFromCivil(y - 1, mo, d) * 86400 + timeOfDay
        }
        if zone != nil { return (Double(naive), false) }
        let days = naive >= 0 ? naive / 86400 : (naive - 86399) / 86400
        let tod = naive - days * 86400
        let c = CivilTime.civilFromDays(days)
        return (Double(clock.pointee.localEpoch(c.year, c.month, c.day, tod / 3600, (tod / 60) % 60, tod % 60)), false)
    }

    /// Python's `_calc_julian_from_U_or_W`.
    static func julianDay(year: Int, week: Int, weekday: Int, weekStartsMonday: Bool) -> Int {
        var firstWeekday = CivilTime.weekdayOfJanuaryFirst(year)
        var dayOfWeek = weekday
        if !weekStartsMonday {
            firstWeekday = (firstWeekday + 1) % 7
            dayOfWeek = (dayOfWeek + 1) % 7
        }
        let week0Length = (7 - firstWeekday) % 7
        if week == 0 { return 1 + dayOfWeek - firstWeekday }
        return 1 + week0Length + 7 * (week - 1) + dayOfWeek
    }
}
