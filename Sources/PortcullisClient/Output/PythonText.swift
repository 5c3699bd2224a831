import PortcullisConfig

/// Python's `str()` and `repr()` of control values, because `fail2ban-client` prints every reply
/// its beautifier leaves alone with `print(value)`: `600`, `None`, `True`,
/// `['1.2.3.4', '5.6.7.8']`, `[{'sshd': []}]`, `2629800.0`.
public enum PythonText {
    /// `str(value)`: strings bare, everything else as `repr`.
    public static func str(_ value: ControlValue) -> String {
        if case .string(let text) = value { return text }
        return repr(value)
    }

    /// `repr(value)`.
    public static func repr(_ value: ControlValue) -> String {
        var out = ""
        write(value, to: &out)
        return out
    }

    private static func write(_ value: ControlValue, to out: inout String) {
        switch value {
        case .null: out += "None"
        case .bool(let flag): out += flag ? "True" : "False"
        case .int(let number): out += String(number)
        case .double(let number): out += float(number)
        case .string(let text): out += repr(string: text)
        case .list(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += ", " }
                write(item, to: &out)
            }
            out += "]"
        case .dict(let entries):
            out += "{"
            for (index, (key, item)) in entries.enumerated() {
                if index > 0 { out += ", " }
                out += repr(string: key)
                out += ": "
                write(item, to: &out)
            }
            out += "}"
        }
    }

    /// `repr(text)` (see `PythonRepr`).
    public static func repr(string text: String) -> String {
        PythonRepr.string(text)
    }

    /// `repr(number)` for a float: the shortest digits that round-trip, fixed notation for
    /// decimal exponents -4 through 15 (always with a fraction, `600.0`), scientific otherwise
    /// (`1e+16`, `1.5e-05`), and `inf`, `-inf`, `nan`.
    public static func float(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        let sign = number.sign == .minus ? "-" : ""
        if number == 0 { return sign + "0.0" }
        let (digits, pointPosition) = shortestDigits(abs(number))
        let exponent = pointPosition - 1
        if exponent >= -4 && exponent < 16 {
            if pointPosition <= 0 {
                return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
            }
            if pointPosition >= digits.count {
                return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
            }
            let split = digits.index(digits.startIndex, offsetBy: pointPosition)
            return sign + digits[..<split] + "." + digits[split...]
        }
        var mantissa = String(digits.prefix(1))
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        let magnitude = String(abs(exponent))
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+")
            + (magnitude.count < 2 ? "0" : "") + magnitude
    }

    /// The significant digits of a positive finite double (no leading or trailing zeros) and
    /// where the decimal point goes: value = 0.DIGITS × 10^pointPosition. Swift's own
    /// `description` already prints the shortest round-tripping digits; this re-reads them.
    private static func shortestDigits(_ number: Double) -> (String, Int) {
        let text = number.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var integerPart = mantissa
        var fractionPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fractionPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(integerPart) + fractionPart
        var pointPosition = integerPart.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (digits.isEmpty ? "0" : digits, pointPosition)
    }
}
