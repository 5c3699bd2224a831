/// One lexical unit of a formula, with its 1-based column.
struct FormulaToken: Equatable {
    enum Kind: Equatable {
        case int(Int)
        case float(Double)
        /// A name, dotted parts joined: `ban.Time`, `math.exp`, `max`, `if`.
        case name(String)
        /// An operator or punctuation: `+ - * / // % ** << >> & | ^ ~ < > <= >= == != ( ) ,`.
        case symbol(String)
        case end
    }
    var kind: Kind
    var column: Int
}

/// Splits a formula into tokens, Python-style: decimal, float and `0x`/`0o`/`0b` numbers, dotted
/// names, and Python's operators. Anything else is an error naming the character.
enum FormulaLexer {
    private static let symbols = ["**", "//", "<<", ">>", "<=", ">=", "==", "!=",
                                  "+", "-", "*", "/", "%", "&", "|", "^", "~", "<", ">", "(", ")", ","]

    static func tokens(_ text: String) throws(FormulaError) -> [FormulaToken] {
        let chars = Array(text)
        var result: [FormulaToken] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            let column = i + 1
            if c.isASCII && (c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber)) {
                let (kind, next) = try number(chars, from: i)
                result.append(FormulaToken(kind: kind, column: column))
                i = next
                continue
            }
            if c == "_" || (c.isASCII && c.isLetter) {
                var j = i
                while j < chars.count {
                    let d = chars[j]
                    if d == "_" || (d.isASCII && (d.isLetter || d.isNumber)) { j += 1; continue }
                    // A dot continues the name when a name part follows (`ban.Time`).
                    if d == ".", j + 1 < chars.count, chars[j + 1] == "_" || (chars[j + 1].isASCII && chars[j + 1].isLetter) {
                        j += 1; continue
                    }
                    break
                }
                result.append(FormulaToken(kind: .name(String(chars[i..<j])), column: column))
                i = j
                continue
            }
            guard let symbol = symbols.first(where: { matches($0, chars, at: i) }) else {
                throw FormulaError("unexpected character '\(c)'", column: column)
            }
            result.append(FormulaToken(kind: .symbol(symbol), column: column))
            i += symbol.count
        }
        result.append(FormulaToken(kind: .end, column: chars.count + 1))
        return result
    }

    private static func matches(_ symbol: String, _ chars: [Character], at i: Int) -> Bool {
        let s = Array(symbol)
        guard i + s.count <= chars.count else { return false }
        return Array(chars[i..<(i + s.count)]) == s
    }

    private static func number(_ chars: [Character], from start: Int) throws(FormulaError) -> (FormulaToken.Kind, Int) {
        var i = start
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        // 0x.., 0o.., 0b.. integers.
        if chars[i] == "0", i + 1 < chars.count, let radix = ["x": 16, "X": 16, "o": 8, "O": 8, "b": 2, "B": 2][chars[i + 1]] {
            var j = i + 2
            while j < chars.count, chars[j].isHexDigit || chars[j] == "_" { j += 1 }
            let digits = String(chars[(i + 2)..<j].filter { $0 != "_" })
            guard let value = Int(digits, radix: radix) else {
                throw FormulaError("invalid number '\(String(chars[start..<j]))'", column: start + 1)
            }
            return (.int(value), j)
        }
        var isFloat = false
        while i < chars.count, isDigit(chars[i]) || chars[i] == "_" { i += 1 }
        if i < chars.count, chars[i] == "." {
            isFloat = true
            i += 1
            while i < chars.count, isDigit(chars[i]) || chars[i] == "_" { i += 1 }
        }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            var j = i + 1
            if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
            if j < chars.count, isDigit(chars[j]) {
                isFloat = true
                i = j
                while i < chars.count, isDigit(chars[i]) { i += 1 }
            }
        }
        let text = String(chars[start..<i].filter { $0 != "_" })
        if i < chars.count, chars[i] == "_" || (chars[i].isASCII && chars[i].isLetter) {
            throw FormulaError("invalid number '\(String(chars[start...i]))'", column: start + 1)
        }
        if isFloat {
            guard let value = Double(text) else { throw FormulaError("invalid number '\(text)'", column: start + 1) }
            return (.float(value), i)
        }
        // Python reads a huge integer literal exactly; beyond 64 bits we keep it as a float.
        if let value = Int(text) { return (.int(value), i) }
        guard let value = Double(text) else { throw FormulaError("invalid number '\(text)'", column: start + 1) }
        return (.float(value), i)
    }
}

