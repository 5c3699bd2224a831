/// fail2ban's log levels, in its order of severity, so every stage can report through one
/// vocabulary and `loglevel`/`set loglevel` filter them the same way.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case heavyDebug = 5, traceDebug = 7, debug = 10, info = 20, notice = 25, warning = 30, error = 40, critical = 50

    /// Parses fail2ban's names (`NOTICE`, `WARN`, `DEBUG`, …) and numeric levels.
    public init?(name: String) {
        switch name.uppercased() {
        case "HEAVYDEBUG": self = .heavyDebug
        case "TRACEDEBUG": self = .traceDebug
        case "DEBUG": self = .debug
        case "INFO": self = .info
        case "NOTICE", "MSG": self = .notice
        case "WARNING", "WARN": self = .warning
        case "ERROR": self = .error
        case "CRITICAL", "FATAL": self = .critical
        default:
            guard let number = Int(name), let level = LogLevel.allCases.last(where: { $0.rawValue <= number }) else { return nil }
            self = level
        }
    }

    /// The name fail2ban prints in its log lines.
    public var name: String {
        switch self {
        case .heavyDebug: "HEAVYDEBUG"
        case .traceDebug: "TRACEDEBUG"
        case .debug: "DEBUG"
        case .info: "INFO"
        case .notice: "NOTICE"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .critical: "CRITICAL"
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a stage reports what it did: the daemon routes these into its fail2ban-format log.
/// `logger` is fail2ban's logger name (`fail2ban.actions`, `fail2ban.filter`, …).
public typealias LogSink = @Sendable (_ level: LogLevel, _ logger: String, _ message: String) -> Void
