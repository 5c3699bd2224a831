/// The date fail2ban found in one log line.
///
/// The line engine needs two things from date detection: where the date text is (fail2ban
/// cuts group 1 of the date template out of the line before the failregex runs) and the
/// epoch it stands for. Both come from one search, so they travel together.
public struct DateMatch: Sendable, Equatable {
    /// Byte range of the date text in the line: fail2ban's match group 1. It may be empty
    /// for optional patterns (`{NONE}`, `(?:%H:%M:%S)?`); fail2ban then reuses the last
    /// date or takes "now", which is the line engine's business.
    public var range: Range<Int>
    /// Epoch seconds; nil when the text matched but fail2ban could not convert it
    /// (a `ValueError` in its strptime: 30 Feb, hour 24, second 60, …) or the range is empty.
    /// Fractions are kept exactly where fail2ban keeps them: `EPOCH`/`LEPOCH` values are
    /// Python's `float(text)`; `%f` in a pattern is *dropped* by fail2ban 1.0.2
    /// (`reGroupDictStrptime(..., msec=False)`), so it is dropped here too.
    public var time: Double?
    /// fail2ban raised something other than `ValueError` while converting (an unknown zone
    /// abbreviation is a `KeyError`, `%I` with an unmatched optional `%p` an
    /// `AttributeError`); `processLineAndAdd` then logs the exception and drops the whole
    /// line. `time` is nil in that case.
    public var dropsLine: Bool = false

    public init(range: Range<Int>, time: Double?, dropsLine: Bool = false) {
        self.range = range
        self.time = time
        self.dropsLine = dropsLine
    }
}
