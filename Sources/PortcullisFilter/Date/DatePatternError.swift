/// A `datepattern` (or `logtimezone`) fail2ban would refuse, with the reason.
///
/// Thrown at configuration time so a bad jail fails to start, as in fail2ban, instead of
/// silently never finding dates.
public struct DatePatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// A `%` that is neither a known directive nor `%%`.
        case unknownDirective(String)
        /// The regex built from the pattern does not compile.
        case invalidRegex(String)
        /// A group name defined twice (Python's `re` refuses it).
        case duplicateGroupName(String)
        /// The same template given twice.
        case duplicateTemplate
        /// `logtimezone` / default zone fail2ban's `validateTimeZone` rejects.
        case unknownTimeZone
    }
    public let pattern: String
    public let reason: Reason

    public init(pattern: String, reason: Reason) {
        self.pattern = pattern
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .unknownDirective(let d):
            return "Failed to set datepattern '\(pattern)' (may be an invalid format or unescaped percent char): unknown directive \(d)"
        case .invalidRegex(let m):
            return "Failed to set datepattern '\(pattern)': \(m)"
        case .duplicateGroupName(let n):
            return "Failed to set datepattern '\(pattern)': redefinition of group name '\(n)'"
        case .duplicateTemplate:
            return "There is already a template with name \(pattern)"
        case .unknownTimeZone:
            return "Unknown or unsupported time zone: '\(pattern)'"
        }
    }
}
