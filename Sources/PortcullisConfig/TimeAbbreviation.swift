import Foundation

/// Durations as fail2ban writes them (`bantime = 1d12h30m`, `findtime = 10m`, `-1`,
/// `fail2ban-client --str2sec 1h30m`), converted with fail2ban's `str2seconds` rules: units may be
/// abbreviated (`s`, `m`/`mm`/`min`, `h`, `d`, `w`, `mo`/`mon`/`month`, `y`/`year`); adjacent
/// groups add up (`2d 3h`); `+ - * /` and parentheses work (`1y-6mo`). A month is a year / 12 and
/// a year 365.25 days, as in fail2ban.
///
/// Like fail2ban, the text is rewritten into arithmetic (`1d12h` → `1*86400+12*3600`) and then
/// evaluated as Python would: the result stays an `int` unless a float enters — a fraction, a
/// division, a month or a year — so `--str2sec` prints `5400` or `2629800.0` as fail2ban does.
public enum TimeAbbreviation {
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public let text: String
        public var description: String { "invalid time abbreviation '\(text)' (expected e.g. 600, 10m, 1h, 1d12h, 1w, 1mo, 1y, -1)" }
    }

    /// The number `str2seconds` returns: Python's `int` or `float`. Integers that outgrow 64 bits
    /// continue as floats.
    public enum Seconds: Sendable, Equatable {
        case int(Int)
        case float(Double)

        public var value: Double {
            switch self {
            case .int(let number): return Double(number)
            case .float(let number): return number
            }
        }
    }

    /// `(?<=[a-z])(\d)` → ` \1`: `1d12h` → `1d 12h`.
    private static let separateGroups = regex(#"(?i)(?<=[a-z])(\d)"#)
    /// Each unit (after a digit or a space) → `*factor`, in fail2ban's order.
    private static let units: [(regex: NSRegularExpression, template: String)] = [
        ("days?|da|dd?", String(24 * 60 * 60)),
        ("weeks?|wee?|ww?", String(7 * 24 * 60 * 60)),
        ("months?|mon?", "2629800.0"),
        ("years?|yea?|yy?", "31557600.0"),
        ("seconds?|sec?|ss?", "1"),
        ("minutes?|min?|mm?", "60"),
        ("hours?|hou?|hh?", "3600"),
    ].map { (regex("(?i)(?<=[\\d\\s])(\($0.0))\\b"), "*" + $0.1) }
    /// `(\d)\s+(\d)` → `\1+\2`: groups side by side add up.
    private static let addGroups = regex(#"(\d)\s+(\d)"#)

    /// The seconds `text` stands for, or nil when it is not a duration.
    public static func evaluate(_ text: String) -> Seconds? {
        var value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        value = replace(separateGroups, in: value, with: " $1")
        for (unit, template) in units { value = replace(unit, in: value, with: template) }
        value = replace(addGroups, in: value, with: "$1+$2")
        var parser = ArithmeticParser(Array(value))
        return parser.parse()
    }

    /// Seconds for `text`; throws `Invalid` when it is not a duration.
    public static func seconds(_ text: String) throws -> Double {
        guard let result = evaluate(text) else { throw Invalid(text: text) }
        return result.value
    }

    private static func regex(_ pattern: String) -> NSRegularExpression {
        try! NSRegularExpression(pattern: pattern)
    }

    private static func replace(_ regex: NSRegularExpression, in text: String, with template: String) -> String {
        regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }
}

/// `+ - * /`, unary sign, parentheses over Python number literals (`600`, `1.5`, `.5`, `1e+16`)
/// — the subset of Python `eval` that `str2seconds` relies on, with Python's `int`/`float`
/// rules: `/` always gives a float, a float operand makes the result a float.
private struct ArithmeticParser {
    typealias Seconds = TimeAbbreviation.Seconds
    let chars: [Character]
    var i = 0
    init(_ chars: [Character]) { self.chars = chars }

    mutating func parse() -> Seconds? {
        guard let value = expression() else { return nil }
        skipSpaces()
        return i == chars.count ? value : nil
    }

    mutating func skipSpaces() { while i < chars.count, chars[i].isWhitespace { i += 1 } }

    mutating func expression() -> Seconds? {
        guard var left = term() else { return nil }
        while true {
            skipSpaces()
            guard i < chars.count, chars[i] == "+" || chars[i] == "-" else { return left }
            let op = chars[i]; i += 1
            guard let right = term() else { return nil }
            left = op == "+"
                ? combine(left, right, { $0.addingReportingOverflow($1) }, +)
                : combine(left, right, { $0.subtractingReportingOverflow($1) }, -)
        }
    }

    mutating func term() -> Seconds? {
        guard var left = factor() else { return nil }
        while true {
            skipSpaces()
            guard i < chars.count, chars[i] == "*" || chars[i] == "/" else { return left }
            let op = chars[i]; i += 1
            guard let right = factor() else { return nil }
            if op == "*" {
                left = combine(left, right, { $0.multipliedReportingOverflow(by: $1) }, *)
            } else {
                guard right.value != 0 else { return nil }
                left = .float(left.value / right.value)
            }
        }
    }

    mutating func factor() -> Seconds? {
        skipSpaces()
        guard i < chars.count else { return nil }
        if chars[i] == "-" || chars[i] == "+" {
            let negative = chars[i] == "-"; i += 1
            guard let v = factor() else { return nil }
            guard negative else { return v }
            switch v {
            case .int(let x): return x == .min ? .float(-Double(x)) : .int(-x)
            case .float(let x): return .float(-x)
            }
        }
        if chars[i] == "(" {
            i += 1
            guard let v = expression() else { return nil }
            skipSpaces()
            guard i < chars.count, chars[i] == ")" else { return nil }
            i += 1
            return v
        }
        return number()
    }

    /// `digits`, `digits.digits`, `.digits`, `digits.`, each with an optional `e[+-]digits`.
    mutating func number() -> Seconds? {
        let start = i
        let integerDigits = skipDigits()
        var isFloat = false
        if i < chars.count, chars[i] == "." {
            i += 1
            isFloat = true
            guard skipDigits() > 0 || integerDigits > 0 else { return nil }
        } else if integerDigits == 0 {
            return nil
        }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            var j = i + 1
            if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
            if j < chars.count, chars[j].isASCII, chars[j].isNumber {
                i = j
                skipDigits()
                isFloat = true
            }
        }
        let literal = String(chars[start..<i])
        if !isFloat, let integer = Int(literal) { return .int(integer) }
        return Double(literal).map(Seconds.float)
    }

    @discardableResult
    mutating func skipDigits() -> Int {
        let start = i
        while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
        return i - start
    }

    /// `int op int` stays an int unless it overflows; anything else is a float.
    func combine(_ a: Seconds, _ b: Seconds, _ intOperation: (Int, Int) -> (Int, Bool),
                 _ floatOperation: (Double, Double) -> Double) -> Seconds {
        if case .int(let x) = a, case .int(let y) = b {
            let (result, overflow) = intOperation(x, y)
            if !overflow { return .int(result) }
        }
        return .float(floatOperation(a.value, b.value))
    }
}
