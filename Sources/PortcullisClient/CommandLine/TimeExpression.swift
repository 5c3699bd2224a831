/// fail2ban's time abbreviations (`--timeout 1m`, `--str2sec 1h30m`), evaluated the way its
/// `str2seconds` does: numbers with optional units (`s`, `m`/`min`, `h`, `d`, `w`, `mo`/`mon`,
/// `y`; long forms and plurals too), groups side by side add up (`1d 12h`, `1d12h`), and
/// `+ - * /` with parentheses work (`1y-6mo`).
///
/// The result is an int unless a float entered: a fraction, a division, or a month or year
/// (which are 365.25/12 and 365.25 days), so `--str2sec` prints `5400` or `2629800.0` as
/// fail2ban does. The client cannot use PortcullisConfig's version (it has no dependencies).
public enum TimeExpression {
    /// The seconds `text` stands for, or nil when it is not a time expression.
    public static func seconds(_ text: String) -> ControlValue? {
        guard let tokens = tokenize(text) else { return nil }
        var parser = Parser(tokens: tokens)
        guard let value = parser.parseSum(), parser.index == tokens.count else { return nil }
        switch value {
        case .int(let number): return .int(number)
        case .double(let number): return .double(number)
        }
    }

    enum Number {
        case int(Int)
        case double(Double)

        var asDouble: Double {
            switch self {
            case .int(let value): return Double(value)
            case .double(let value): return value
            }
        }

        func combine(_ other: Number, _ intOperation: (Int, Int) -> (Int, Bool), _ doubleOperation: (Double, Double) -> Double) -> Number {
            if case .int(let a) = self, case .int(let b) = other {
                let (result, overflow) = intOperation(a, b)
                if !overflow { return .int(result) }
            }
            return .double(doubleOperation(asDouble, other.asDouble))
        }
    }

    enum Token: Equatable {
        case number(Number)
        case symbol(Character)

        static func == (lhs: Token, rhs: Token) -> Bool {
            switch (lhs, rhs) {
            case let (.symbol(a), .symbol(b)): return a == b
            default: return false
            }
        }
    }

    /// Unit words and their factor in seconds; a unit must follow a number.
    private static let units: [(words: Set<String>, factor: Number)] = [
        (["day", "days", "da", "d", "dd"], .int(86_400)),
        (["week", "weeks", "wee", "we", "w", "ww"], .int(604_800)),
        (["month", "months", "mon", "mo"], .double(2_629_800.0)),
        (["year", "years", "yea", "ye", "y", "yy"], .double(31_557_600.0)),
        (["second", "seconds", "sec", "se", "s", "ss"], .int(1)),
        (["minute", "minutes", "min", "mi", "m", "mm"], .int(60)),
        (["hour", "hours", "hou", "ho", "h", "hh"], .int(3_600)),
    ]

    /// Numbers (with their unit multiplied in), operators and parentheses; an implicit `+`
    /// between a value and a following number (`1h 30m`, `1d12h`).
    private static func tokenize(_ text: String) -> [Token]? {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == " " || character == "\t" {
                index += 1
            } else if character.isASCII && (character.isNumber || character == ".") {
                var end = index
                while end < characters.count, characters[end].isASCII, characters[end].isNumber || characters[end] == "." { end += 1 }
                let literal = String(characters[index..<end])
                let number: Number
                if let value = Int(literal) {
                    number = .int(value)
                } else if let value = Double(literal) {
                    number = .double(value)
                } else {
                    return nil
                }
                if case .number? = tokens.last { tokens.append(.symbol("+")) }
                if case .symbol(")")? = tokens.last { tokens.append(.symbol("+")) }
                tokens.append(.number(number))
                index = end
            } else if character.isLetter {
                var end = index
                while end < characters.count, characters[end].isLetter { end += 1 }
                let word = String(characters[index..<end]).lowercased()
                guard case .number(let value)? = tokens.last,
                      let unit = units.first(where: { $0.words.contains(word) })
                else { return nil }
                tokens[tokens.count - 1] = .number(value.combine(unit.factor, { $0.multipliedReportingOverflow(by: $1) }, *))
                index = end
            } else if "+-*/()".contains(character) {
                tokens.append(.symbol(character))
                index += 1
            } else {
                return nil
            }
        }
        return tokens
    }

    /// sum := product (('+'|'-') product)*; product := unary (('*'|'/') unary)*;
    /// unary := ('+'|'-') unary | number | '(' sum ')'.
    private struct Parser {
        let tokens: [Token]
        var index = 0

        mutating func parseSum() -> Number? {
            guard var value = parseProduct() else { return nil }
            while index < tokens.count, tokens[index] == .symbol("+") || tokens[index] == .symbol("-") {
                let isPlus = tokens[index] == .symbol("+")
                index += 1
                guard let right = parseProduct() else { return nil }
                value = isPlus
                    ? value.combine(right, { $0.addingReportingOverflow($1) }, +)
                    : value.combine(right, { $0.subtractingReportingOverflow($1) }, -)
            }
            return value
        }

        mutating func parseProduct() -> Number? {
            guard var value = parseUnary() else { return nil }
            while index < tokens.count, tokens[index] == .symbol("*") || tokens[index] == .symbol("/") {
                let isTimes = tokens[index] == .symbol("*")
                index += 1
                guard let right = parseUnary() else { return nil }
                if isTimes {
                    value = value.combine(right, { $0.multipliedReportingOverflow(by: $1) }, *)
                } else {
                    guard right.asDouble != 0 else { return nil }
                    value = .double(value.asDouble / right.asDouble)
                }
            }
            return value
        }

        mutating func parseUnary() -> Number? {
            guard index < tokens.count else { return nil }
            switch tokens[index] {
            case .symbol("-"):
                index += 1
                return parseUnary().map { Number.int(0).combine($0, { $0.subtractingReportingOverflow($1) }, -) }
            case .symbol("+"):
                index += 1
                return parseUnary()
            case .symbol("("):
                index += 1
                guard let inner = parseSum(), index < tokens.count, tokens[index] == .symbol(")") else { return nil }
                index += 1
                return inner
            case .number(let value):
                index += 1
                return value
            default:
                return nil
            }
        }
    }
}
