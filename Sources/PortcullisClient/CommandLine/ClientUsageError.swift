/// A command line `fail2ban-client` would refuse, worded like Python's `getopt` errors.
///
/// fail2ban prints its usage text (on stdout) for option errors and exits 255; for a bad
/// `--timeout` or `--str2sec` value it prints `ERROR: …` instead: `showsUsage` tells which.
public enum ClientUsageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `-z`, `--bogus`.
    case unrecognizedOption(String)
    /// `--d` (both `--dp` and `--dump-pretty`).
    case ambiguousOption(String)
    /// `-s` or `--socket` at the end of the line.
    case missingArgument(String)
    /// `--help=x`.
    case unexpectedArgument(String)
    /// `--timeout` or `--str2sec` with something that is not a time expression.
    case invalidTime(option: String, value: String)

    /// Whether the executable should print the usage text (true) or `ERROR: <description>`.
    public var showsUsage: Bool {
        if case .invalidTime = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .unrecognizedOption(let option): return "option \(option) not recognized"
        case .ambiguousOption(let option): return "option \(option) not a unique prefix"
        case .missingArgument(let option): return "option \(option) requires argument"
        case .unexpectedArgument(let option): return "option \(option) must not have an argument"
        case let .invalidTime(option, value):
            return "invalid time for \(option): '\(value)' (expected e.g. 30, 90s, 1m, 1h30m)"
        }
    }
}
