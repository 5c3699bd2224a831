/// JSON string literals, written by hand where output must match fail2ban byte for byte
/// (Python's `json.dumps` escapes every non-ASCII character) or where Foundation's encoder
/// would cost too much per line (`portcullis regex --json`).
public enum JSONText {
    /// `s` as a quoted JSON string. `asciiOnly` escapes non-ASCII as `\uXXXX` (UTF-16 units,
    /// surrogate pairs above U+FFFF), as Python's `ensure_ascii` does.
    public static func quoted(_ s: String, asciiOnly: Bool = false) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || (asciiOnly && scalar.value > 0x7e) {
                    for unit in String(scalar).utf16 { out += unicodeEscape(unit) }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func unicodeEscape(_ unit: UInt16) -> String {
        let hex = String(unit, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
