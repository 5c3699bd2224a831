/// Python logging's level names as fail2ban registers them, for `get loglevel` replies that
/// carry a number instead of a name.
enum LogLevelName {
    private static let names: [Int: String] = [
        0: "NOTSET", 5: "HEAVY", 7: "TRACE", 10: "DEBUG", 18: "MSG", 20: "INFO", 25: "NOTICE",
        30: "WARNING", 40: "ERROR", 50: "CRITICAL",
    ]

    /// `logging.getLevelName(value)` for an int (bools count as ints, as in Python); any other
    /// value unchanged.
    static func name(_ value: ControlValue) -> ControlValue {
        let level: Int
        switch value {
        case .int(let number): level = number
        case .bool(let flag): level = flag ? 1 : 0
        default: return value
        }
        if let name = names[level] { return .string(name) }
        if level >= 0 && level < 50 {
            return .string("#" + (level < 10 ? "0" : "") + String(level) + "-Lev.")
        }
        return .string("Level \(level)")
    }
}
