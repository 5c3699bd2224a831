import PortcullisConfig

extension DateDetector {
    /// The detector of a filter definition: its `datepattern` when set and not blank, else
    /// fail2ban's default templates. `datePattern` overrides the definition's (fail2ban-regex
    /// `-d`, a jail's option); `timeZone` is `logtimezone`.
    public convenience init(definition: FilterDefinition, datePattern: String? = nil,
                            timeZone: String?) throws(DatePatternError) {
        if let pattern = datePattern ?? definition.datePattern, !pattern.allSatisfy(\.isWhitespace) {
            try self.init(datePattern: pattern, defaultTimeZone: timeZone)
        } else {
            self.init(defaultTimeZone: timeZone)
        }
    }
}
