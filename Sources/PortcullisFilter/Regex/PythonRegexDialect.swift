/// Rewrites the few spellings of Python's `re` that PCRE2 10.42 reads differently.
///
/// fail2ban filters are Python regexes. PCRE2 accepts almost all of them as they are
/// (`(?P<name>…)`, `(?P=name)`, lookbehind, conditionals); the exceptions are:
/// - `{,n}`: Python's "0 to n times"; PCRE2 10.42 takes it as literal text → `{0,n}`.
/// - `\Z`: Python's "end of string only" is PCRE2's `\z` (PCRE2's `\Z` also matches before a final newline).
/// - `((?i)…)` / `(?:(?i)…)`: a global flag at the start of a group is a scoped flag in fail2ban → `(?i:…)`.
/// Escapes and character classes are walked over, so `\{,3}` or `[\Z]` stay untouched.
public enum PythonRegexDialect {
    public static func toPCRE2(_ pattern: String) -> String {
        let source = Array(pattern.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(source.count + 8)
        var i = 0
        var inClass = false
        let n = source.count
        while i < n {
            let c = source[i]
            if c == UInt8(ascii: "\\") {
                if i + 1 < n {
                    let next = source[i + 1]
                    if !inClass && next == UInt8(ascii: "Z") {
                        out.append(c); out.append(UInt8(ascii: "z"))
                    } else {
                        out.append(c); out.append(next)
                    }
                    i += 2
                } else {
                    out.append(c); i += 1
                }
                continue
            }
            if inClass {
                if c == UInt8(ascii: "]") { inClass = false }
                out.append(c); i += 1
                continue
            }
            if c == UInt8(ascii: "[") {
                inClass = true
                out.append(c); i += 1
                // A leading `^` and a `]` right after the opening are literal members.
                if i < n && source[i] == UInt8(ascii: "^") { out.append(source[i]); i += 1 }
                if i < n && source[i] == UInt8(ascii: "]") { out.append(source[i]); i += 1 }
                continue
            }
            if c == UInt8(ascii: "{") && i + 1 < n && source[i + 1] == UInt8(ascii: ",") {
                // `{,n}` with digits and a closing brace → `{0,n}`.
                var j = i + 2
                while j < n && source[j] >= UInt8(ascii: "0") && source[j] <= UInt8(ascii: "9") { j += 1 }
                if j > i + 2 && j < n && source[j] == UInt8(ascii: "}") {
                    out.append(c); out.append(UInt8(ascii: "0"))
                    out.append(contentsOf: source[(i + 1)...j])
                    i = j + 1
                    continue
                }
            }
            if c == UInt8(ascii: "(") , let (flags, consumed) = scopedGlobalFlags(source, at: i) {
                out.append(contentsOf: Array("(?".utf8)); out.append(contentsOf: flags); out.append(UInt8(ascii: ":"))
                i += consumed
                continue
            }
            out.append(c); i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Recognises `((?flags)` and `(?:(?flags)` at `i`; returns the flags and the bytes consumed.
    private static func scopedGlobalFlags(_ s: [UInt8], at i: Int) -> ([UInt8], Int)? {
        var j = i + 1
        if j + 1 < s.count && s[j] == UInt8(ascii: "?") && s[j + 1] == UInt8(ascii: ":") { j += 2 }
        guard j + 2 < s.count, s[j] == UInt8(ascii: "("), s[j + 1] == UInt8(ascii: "?") else { return nil }
        var k = j + 2
        let flagsStart = k
        while k < s.count, s[k] >= UInt8(ascii: "a"), s[k] <= UInt8(ascii: "z") { k += 1 }
        guard k > flagsStart, k < s.count, s[k] == UInt8(ascii: ")") else { return nil }
        return (Array(s[flagsStart..<k]), k + 1 - i)
    }
}
