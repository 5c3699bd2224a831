/// The two ways a run-time value may enter a shell command.
///
/// - Text made only of `A–Z a–z 0–9 . _ : / @ % + , = -` is placed as is: no shell context (unquoted,
///   inside quotes, a comment, a here-document) gives any of those characters a meaning, so an IP
///   address or a number reads exactly as fail2ban writes it.
/// - Anything else becomes a shell variable assigned in a preamble as one single-quoted literal
///   (`f2bV_matches='…'`, each `'` written as `'\''`), and the command refers to the variable with a
///   form chosen for the quoting context at the tag (`"${f2bV_matches}"`, `${…}`, `'"${…}"'`).
///   The shell parses the value's text only inside single quotes, where nothing is special; an
///   expansion result is never parsed again, so `$(…)`, backticks, quotes, `;` or newlines in the
///   value stay text.
enum ShellQuoting {
    /// Whether `text` may be placed in a command as is.
    static func isPlain(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isPlainByte)
    }

    static func isPlainByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "@"),
             UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: "="), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// `text` as one single-quoted shell word. NUL characters are dropped: a C argument string
    /// would end at the first one, cutting the script short.
    static func singleQuoted(_ text: String) -> String {
        var result = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "'": result += "'\\''"
            case "\0": continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "'"
    }

    /// fail2ban's variable naming: `f2bV_` and the tag's name with non-word characters as `_`.
    static func variableName(for tag: String) -> String {
        var name = "f2bV_"
        for scalar in tag.unicodeScalars {
            let isWord = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
            name.unicodeScalars.append(isWord ? scalar : "_")
        }
        return name
    }
}
