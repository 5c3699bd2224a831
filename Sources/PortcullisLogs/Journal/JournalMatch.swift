/// fail2ban's `journalmatch` syntax: each line of the option is one match expression, split
/// into words like a shell does (quotes, backslashes); a "+" word separates alternatives.
/// Every alternative of every line is ORed; the terms within one are ANDed (and, as
/// sd-journal does, terms on the same field within one alternative are ORed among themselves).
enum JournalMatchSyntax {
    static func parse(_ text: String) -> [[String]] {
        var groups = [[String]]()
        for line in text.split(separator: "\n") {
            var current = [String]()
            for word in ShellWords.split(line) {
                if word == "+" {
                    if !current.isEmpty { groups.append(current) }
                    current = []
                } else {
                    current.append(word)
                }
            }
            if !current.isEmpty { groups.append(current) }
        }
        return groups
    }

    /// A term sd-journal accepts: "FIELD=value" with a field name of uppercase letters, digits
    /// and underscores, not starting with a digit.
    static func isValid(_ term: String) -> Bool {
        guard let equals = term.utf8.firstIndex(of: UInt8(ascii: "=")) else { return false }
        let field = term.utf8[..<equals]
        guard let first = field.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return field.allSatisfy { ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5f }
    }
}

/// POSIX shell word splitting without expansions (Python's `shlex.split`): whitespace separates
/// words; '…' is literal; "…" allows \\ \" \$ \` escapes; a backslash outside quotes escapes
/// the next character.
enum ShellWords {
    static func split<S: StringProtocol>(_ text: S) -> [String] {
        var words = [String]()
        var word = ""
        var inWord = false
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            switch c {
            case " ", "\t", "\r", "\n":
                if inWord { words.append(word); word = ""; inWord = false }
            case "'":
                inWord = true
                while let q = iterator.next(), q != "'" { word.append(q) }
            case "\"":
                inWord = true
                while let q = iterator.next(), q != "\"" {
                    if q == "\\", let escaped = iterator.next() {
                        if escaped != "\\" && escaped != "\"" && escaped != "$" && escaped != "`" && escaped != "\n" {
                            word.append("\\")
                        }
                        if escaped != "\n" { word.append(escaped) }
                    } else {
                        word.append(q)
                    }
                }
            case "\\":
                inWord = true
                if let escaped = iterator.next(), escaped != "\n" { word.append(escaped) }
            default:
                inWord = true
                word.append(c)
            }
        }
        if inWord { words.append(word) }
        return words
    }
}
