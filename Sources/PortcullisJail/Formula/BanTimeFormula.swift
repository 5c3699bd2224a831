/// `bantime.formula` (and `bantime.factor`), read once and evaluated safely. fail2ban hands these
/// strings to Python's `eval`; Portcullis accepts the arithmetic subset such formulas use —
/// numbers, `ban.Time`, `ban.Count`, `banFactor`, `+ - * / // % ** << >> & | ^ ~`, comparisons,
/// `and`/`or`/`not`, `X if C else Y`, `min`/`max`/`abs`/`int`/`float`/`round` and a few `math.*`
/// functions — and refuses anything else when the jail loads.
public struct BanTimeFormula: Sendable, CustomStringConvertible {
    /// fail2ban's default `bantime.formula`.
    public static let stock = "ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor"

    /// The expression as written.
    public let text: String
    let root: FormulaNode

    /// Parses `text`, allowing only `variables` as names (none for `bantime.factor`).
    public init(_ text: String, variables: Set<FormulaVariable> = Set(FormulaVariable.allCases)) throws(FormulaError) {
        var parser = try FormulaParser(text, allowed: variables)
        self.root = try parser.parse()
        self.text = text
    }

    public var description: String { text }

    /// Evaluates with the given values. `banTime` is passed as a Python `int` when it is whole
    /// (fail2ban keeps the jail's ban time as an integer), `banFactor` likewise.
    public func evaluate(banTime: Double, banCount: Int, banFactor: Double = 1) throws(FormulaError) -> Double {
        let time = Self.pythonNumber(banTime), factor = Self.pythonNumber(banFactor)
        let value = try root.evaluate { variable in
            switch variable {
            case .banTime: return time
            case .banCount: return .int(banCount)
            case .banFactor: return factor
            }
        }
        return value.asDouble
    }

    static func pythonNumber(_ d: Double) -> FormulaValue {
        if d.isFinite, d == d.rounded(), d.magnitude < 9.0e15 { return .int(Int(d)) }
        return .float(d)
    }
}
