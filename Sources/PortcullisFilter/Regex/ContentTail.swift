import CPCRE2

/// fail2ban's prefregexes end in `<F-CONTENT>.+</F-CONTENT>$`, i.e. `(?P<content>.+)$`: the
/// rest of the line is the content. Matching that tail costs a pass over the rest of every
/// line; it can be skipped.
///
/// On a subject that is one line plus its final "\n" (no other newline), `P(?P<content>.+)$`
/// matches exactly when `P(?P<content>.)` does, through the same path of `P`: the greedy
/// `.+` then `$` succeed wherever at least one character follows `P`, and nowhere else. So
/// the short pattern gives the same groups, and the content runs from where it starts to the
/// final "\n". That holds when:
/// - the tail is at the top level of the pattern (not inside a group, no top-level `|`);
/// - no inline option changes `.` or `$` (`(?s)`, `(?m)`, `(?x)` …): none is allowed at all;
/// - no verb such as `(*CR)` changes what a newline is, and PCRE2's default newline is LF;
/// - the pattern is compiled without multi-line mode;
/// - the subject has no newline but its final one (the caller checks each line).
enum ContentTail {
    static let tail = "(?P<content>.+)$"
    static let shortTail = "(?P<content>.)"

    /// The pattern with its content tail shortened, or nil when the shortcut would not be exact.
    static func shortened(_ pattern: String, multiline: Bool) -> String? {
        guard !multiline, pattern.hasSuffix(tail), newlineIsLF else { return nil }
        let head = Array(pattern.utf8.dropLast(tail.utf8.count))
        guard isPlainTopLevel(head) else { return nil }
        return String(decoding: head, as: UTF8.self) + shortTail
    }

    /// Whether `head` has balanced groups, no top-level alternation, no verbs and no inline
    /// options (escapes, `\Q…\E` and character classes are skipped over).
    static func isPlainTopLevel(_ p: [UInt8]) -> Bool {
        let backslash = UInt8(ascii: "\\")
        var depth = 0
        var i = 0
        while i < p.count {
            let c = p[i]
            switch c {
            case backslash:
                guard i + 1 < p.count else { return false }
                if p[i + 1] == UInt8(ascii: "Q") {
                    // Quoted until \E (or the end).
                    i += 2
                    while i + 1 < p.count && !(p[i] == backslash && p[i + 1] == UInt8(ascii: "E")) { i += 1 }
                    i += 2
                    continue
                }
                i += 2
                continue
            case UInt8(ascii: "["):
                guard let end = classEnd(p, from: i) else { return false }
                i = end + 1
                continue
            case UInt8(ascii: "("):
                if i + 1 < p.count && p[i + 1] == UInt8(ascii: "*") { return false }
                if i + 2 < p.count && p[i + 1] == UInt8(ascii: "?") {
                    let k = p[i + 2]
                    let isLetter = (k >= 65 && k <= 90) || (k >= 97 && k <= 122)
                    // Named groups and references (?P<…>, (?P=…), (?P>…) are fine; option
                    // settings ((?i), (?s:…), (?-x) …) and comments are not.
                    if (isLetter && k != UInt8(ascii: "P")) || k == UInt8(ascii: "-") || k == UInt8(ascii: "^")
                        || k == UInt8(ascii: "#") {
                        return false
                    }
                }
                depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth < 0 { return false }
            case UInt8(ascii: "|"):
                if depth == 0 { return false }
            default:
                break
            }
            i += 1
        }
        return depth == 0
    }

    /// Index of the `]` closing the class that opens at `start`, or nil.
    private static func classEnd(_ p: [UInt8], from start: Int) -> Int? {
        var i = start + 1
        if i < p.count && p[i] == UInt8(ascii: "^") { i += 1 }
        // A `]` right after `[` or `[^` is a literal.
        if i < p.count && p[i] == UInt8(ascii: "]") { i += 1 }
        while i < p.count {
            switch p[i] {
            case UInt8(ascii: "\\"):
                i += 2
                continue
            case UInt8(ascii: "["):
                // A POSIX class `[:name:]` inside.
                if i + 1 < p.count && p[i + 1] == UInt8(ascii: ":") {
                    var j = i + 2
                    while j + 1 < p.count && !(p[j] == UInt8(ascii: ":") && p[j + 1] == UInt8(ascii: "]")) { j += 1 }
                    i = j + 2
                    continue
                }
            case UInt8(ascii: "]"):
                return i
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// PCRE2's default newline convention is LF (a build option of the library).
    static let newlineIsLF: Bool = {
        var newline: UInt32 = 0
        pcre2_config_8(UInt32(PCRE2_CONFIG_NEWLINE), &newline)
        return newline == UInt32(PCRE2_NEWLINE_LF)
    }()
}
