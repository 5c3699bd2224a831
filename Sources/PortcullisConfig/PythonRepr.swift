/// Python 3 `repr()` of a `str`: how fail2ban shows strings in its dump, its logs and
/// `fail2ban-client`'s replies.
public enum PythonRepr {
    /// Single quotes unless the text holds `'` and no `"`; backslash escapes for the quote, `\`,
    /// `\n`, `\r`, `\t` and for characters Python does not consider printable
    /// (`\x85`, `\xa0`, `\u2028`, `\U000e0001`).
    public static func string(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += escape(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }

    /// Python's `str.isprintable` per character: everything but the "Other" and "Separator"
    /// categories, with the plain space allowed.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
            .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        let value = scalar.value
        if value < 0x100 { return "\\x" + hex(value, width: 2) }
        if value < 0x10000 { return "\\u" + hex(value, width: 4) }
        return "\\U" + hex(value, width: 8)
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
