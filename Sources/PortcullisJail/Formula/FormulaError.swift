/// Why a `bantime.formula` (or `bantime.factor`) cannot be read or evaluated. Positions are
/// 1-based character columns into the expression, so the message can point at the culprit.
public struct FormulaError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    /// 1-based column, nil for evaluation errors (which depend on values, not on a place).
    public var column: Int?

    public init(_ message: String, column: Int? = nil) {
        self.message = message
        self.column = column
    }

    public var description: String {
        column.map { "\(message) at column \($0)" } ?? message
    }
}
