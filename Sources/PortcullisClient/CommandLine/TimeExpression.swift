import PortcullisConfig

/// `--str2sec`'s value: fail2ban's time abbreviations (`1h30m`, `1d 12h`, `1y-6mo`), evaluated by
/// PortcullisConfig's `TimeAbbreviation` (fail2ban's `str2seconds`), as the reply value it prints:
/// an int, or a float once a fraction, a division, a month or a year enters (`5400`, `2629800.0`).
public enum TimeExpression {
    /// The seconds `text` stands for, or nil when it is not a time expression.
    public static func seconds(_ text: String) -> ControlValue? {
        switch TimeAbbreviation.evaluate(text) {
        case .int(let number)?: return .int(number)
        case .float(let number)?: return .double(number)
        case nil: return nil
        }
    }
}
