import Foundation

/// Durations as fail2ban writes them (`bantime = 1d12h30m`, `findtime = 10m`, `-1`), converted with
/// fail2ban's `str2seconds` rules: units may be abbreviated (`s`, `m`/`mm`/`min`, `h`, `d`, `w`,
/// `mo`/`mon`/`month`, `y`/`year`); adjacent groups add up (`2d 3h`); `+ - * /` and parentheses
/// work (`1y-6mo`). A month is a year / 12 and a year 365.25 days, as in fail2ban.
public enum TimeAbbreviation {
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public let text: String
        public var description: String { "invalid time abbreviation '\(text)' (expected e.g. 600, 10m, 1h, 1d12h, 1w, 1mo, 1y, -1)" }
    }

    private static let unitPatterns: [(pattern: String, factor: String)] = [
        ("days?|da|dd?", String(24 * 60 * 60)),
        ("weeks?|wee?|ww?", String(7 * 24 * 60 * 60)),
        ("months?|mon?", "2629800.0"),
        ("years?|yea?|yy?", "31557600.0"),
        ("seconds?|sec?|ss?", "1"),
        ("minutes?|min?|mm?", "60"),
        ("hours?|hou?|hh?", "3600"),
    ]

    /// Seconds for `text`; throws `Invalid` when it is not a duration.
    public static func seconds(_ text: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let plain = Double(trimmed) { return plain }
        var value = trimmed
        value = replace(#"(?<=[a-zA-Z])(\d)"#, in: value, with: " $1")
        for (pattern, factor) in unitPatterns {
            value = replace("(?i)(?<=[\\d\\s])(\(pattern))\\b", in: value, with: "*" + factor)
        }
        value = replace(#"(\d)\s+(\d)"#, in: value, with: "$1+$2")
        var parser = ArithmeticParser(Array(value))
        guard let result = parser.parse() else { throw Invalid(text: text) }
        return result
    }

    /// Whole seconds (fractions truncated toward zero), as fail2ban stores ban times.
    public static func integerSeconds(_ text: String) throws -> Int {
        Int(try seconds(text))
    }

    private static func replace(_ pattern: String, in text: String, with template: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
        return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }
}

/// `+ - * /`, unary sign, parentheses over decimal numbers — the subset of Python `eval` that
/// `str2seconds` relies on.
private struct ArithmeticParser {
    let chars: [Character]
    var i = 0
    init(_ chars: [Character]) { self.chars = chars }

    mutating func parse() -> Double? {
        guard let value = expression() else { return nil }
        skipSpaces()
        return i == chars.count ? value : nil
    }

    mutating func skipSpaces() { while i < chars.count, chars[i].isWhitespace { i += 1 } }

    mutating func expression() -> Double? {
        guard var left = term() else { return nil }
        while true {
            skipSpaces()
            guard i < chars.count, chars[i] == "+" || chars[i] == "-" else { return left }
            let op = chars[i]; i += 1
            guard let right = term() else { return nil }
            left = op == "+" ? left + right : left - right
        }
    }

    mutating func term() -> Double? {
        guard var left = factor() else { return nil }
        while true {
            skipSpaces()
            guard i < chars.count, chars[i] == "*" || chars[i] == "/" else { return left }
            let op = chars[i]; i += 1
            guard let right = factor() else { return nil }
            if op == "/" && right == 0 { return nil }
            left = op == "*" ? left * right : left / right
        }
    }

    mutating func factor() -> Double? {
        skipSpaces()
        guard i < chars.count else { return nil }
        if chars[i] == "-" || chars[i] == "+" {
            let negative = chars[i] == "-"; i += 1
            guard let v = factor() else { return nil }
            return negative ? -v : v
        }
        if chars[i] == "(" {
            i += 1
            guard let v = expression() else { return nil }
            skipSpaces()
            guard i < chars.count, chars[i] == ")" else { return nil }
            i += 1
            return v
        }
        let start = i
        while i < chars.count, chars[i].isASCII, chars[i].isNumber || chars[i] == "." { i += 1 }
        return i > start ? Double(String(chars[start..<i])) : nil
    }
}
