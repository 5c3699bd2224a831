#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `%` directives of fail2ban's date patterns and the regex each stands for
/// (`strptime.timeRE` as fail2ban 1.0.2 extends Python's `_strptime.TimeRE`, C locale).
///
/// fail2ban rewrites a `datepattern` by replacing every directive with a regex holding a
/// named group (`%Y` → `(?P<Y>\d{4})`) and later reads the date back from those groups.
/// The spellings below are what fail2ban produces, so matches are byte-for-byte the same.
enum TimeDirectives {
    /// Multi-letter keys, tried before the single letters (fail2ban's alternation order).
    static let extendedKeys = ["ExZ", "Exz", "Exd", "Exm", "ExH", "Exk", "Exl", "ExM", "ExS", "ExY", "Exy"]
    /// Single-letter keys.
    static let singleKeys: Set<UInt8> = Set("dfHIGjmMSUwuVyYzAaBbpZ%WcxXkl".utf8)

    private static let tzAbbr = #"[A-Z](?:[A-Z]{2,4})?"#
    private static let dayC = #"(?P<d>3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])"#

    /// Directive key → regex.
    static let regex: [String: String] = [
        "%": "%",
        "A": "(?P<A>wednesday|thursday|saturday|tuesday|monday|friday|sunday)",
        "B": "(?P<B>september|february|november|december|january|october|august|march|april|june|july|may)",
        "ExH": #"(?P<H>[0-1]\d|2[0-3])"#,
        "ExM": #"(?P<M>[0-5]\d)"#,
        "ExS": #"(?P<S>[0-5]\d|6[0-1])"#,
        "ExY": "(?P<Y>\(yearPrefixPattern)\\d)",
        "ExZ": "(?P<Z>\(tzAbbr))",
        "Exd": #"(?P<d>[1-2]\d|0[1-9]|3[0-1])"#,
        "Exk": #" ?(?P<H>[0-1]?\d|2[0-3])"#,
        "Exl": #" ?(?P<I>1[0-2]|\d)"#,
        "Exm": #"(?P<m>0[1-9]|1[0-2])"#,
        "Exy": #"(?P<y>\d{2})"#,
        "Exz": "(?P<z>(?:\(tzAbbr))?[+-][01]\\d(?::?\\d{2})?|\(tzAbbr))",
        "G": #"(?P<G>\d\d\d\d)"#,
        "H": #"(?P<H>[0-1]?\d|2[0-3])"#,
        "I": #"(?P<I>1[0-2]|0[1-9]|[1-9])"#,
        "M": #"(?P<M>[0-5]?\d)"#,
        "S": #"(?P<S>[0-5]?\d|6[0-1])"#,
        "U": #"(?P<U>5[0-3]|[0-4]\d|\d)"#,
        "V": #"(?P<V>5[0-3]|0[1-9]|[1-4]\d|\d)"#,
        "W": #"(?P<W>5[0-3]|[0-4]\d|\d)"#,
        "X": #"(?P<H>2[0-3]|[0-1]\d|\d):(?P<M>[0-5]\d|\d):(?P<S>6[0-1]|[0-5]\d|\d)"#,
        "Y": #"(?P<Y>\d{4})"#,
        "Z": "(?P<Z>Z|[A-Z]{3,5})",
        "a": "(?P<a>mon|tue|wed|thu|fri|sat|sun)",
        "b": "(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
        "c": "(?P<a>mon|tue|wed|thu|fri|sat|sun)\\s+(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\\s+\(dayC)\\s+(?P<H>2[0-3]|[0-1]\\d|\\d):(?P<M>[0-5]\\d|\\d):(?P<S>6[0-1]|[0-5]\\d|\\d)\\s+(?P<Y>\\d\\d\\d\\d)",
        "d": #"(?P<d>[1-2]\d|[0 ]?[1-9]|3[0-1])"#,
        "f": "(?P<f>[0-9]{1,6})",
        "j": #"(?P<j>36[0-6]|3[0-5]\d|[1-2]\d\d|0[1-9]\d|00[1-9]|[1-9]\d|0[1-9]|[1-9])"#,
        "k": #" ?(?P<H>[0-2]?\d)"#,
        "l": #" ?(?P<I>1?\d)"#,
        "m": "(?P<m>0?[1-9]|1[0-2])",
        "p": "(?P<p>am|pm)",
        "u": "(?P<u>[1-7])",
        "w": "(?P<w>[0-6])",
        "x": "(?P<m>1[0-2]|0[1-9]|[1-9])/\(dayC)/(?P<y>\\d\\d)",
        "y": #"(?P<y>\d\d)"#,
        "z": #"(?P<z>Z|UTC|GMT|[+-][01]\d(?::?\d{2})?)"#,
    ]

    /// fail2ban's `%ExY`: the first three digits of the years it accepts, built when fail2ban
    /// starts from the current year: last year, three years ahead, and every third year back
    /// to 2000 (so that old test logs still match). For 2026: `20[012]`.
    static let yearPrefixPattern: String = yearPrefixPattern(currentYear: startYear)

    static func yearPrefixPattern(currentYear year: Int) -> String {
        alternation(yearPrefixes(currentYear: year).sorted())
    }

    /// The three-digit year prefixes `%ExY` accepts this run (as numbers, e.g. 200…202).
    static let yearPrefixValues: Set<Int> = Set(yearPrefixes(currentYear: startYear).compactMap { Int($0) })

    /// The local year when the process started (read once, so the pattern and the values agree).
    private static let startYear: Int = {
        var t = time_t(time(nil))
        var tmv = tm()
        localtime_r(&t, &tmv)
        return Int(tmv.tm_year) + 1900
    }()

    static func yearPrefixes(currentYear year: Int) -> Set<String> {
        func prefix(_ y: Int) -> String { String(String(y).prefix(3)) }
        var prefixes: Set<String> = [prefix(year - 1), prefix(year + 3)]
        let base = 2001
        var i = -1
        while i < year - base + 1 {
            prefixes.insert(prefix(base + i))
            i += 3
        }
        return prefixes
    }

    /// Compact alternation of sorted, distinct strings by common prefix ("200","201" → `20[01]`).
    private static func alternation(_ items: [String]) -> String {
        guard items.count > 1 else { return items.joined() }
        var common: String? = nil
        let heads = items.map { String($0.dropLast()) }
        if !heads[0].isEmpty && heads.allSatisfy({ $0 == heads[0] }) {
            common = heads[0]
        } else {
            let first = items.map { $0.prefix(1) }
            if !first[0].isEmpty && first.allSatisfy({ $0 == first[0] }) { common = String(first[0]) }
        }
        if let common {
            return common + alternation(items.map { String($0.dropFirst(common.count)) })
        }
        return items[0].count > 1 ? "(?:" + items.joined(separator: "|") + ")" : "[" + items.joined() + "]"
    }

    /// Expands the directives of `pattern`; throws on a `%` fail2ban's formatting rejects.
    /// Also reports whether the pattern names letters (`%a %A %b %B %p %c`), for which
    /// fail2ban matches case-insensitively.
    static func expand(_ pattern: String) throws(DatePatternError) -> (regex: String, alphabetic: Bool) {
        let bytes = Array(pattern.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 4)
        var alphabetic = false
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            guard c == UInt8(ascii: "%") else { out.append(c); i += 1; continue }
            // Python's RE_ALPHA_PATTERN: `%[aAbBpc]` not preceded by `%`.
            if i + 1 < bytes.count, "aAbBpc".utf8.contains(bytes[i + 1]), i == 0 || bytes[i - 1] != UInt8(ascii: "%") {
                alphabetic = true
            }
            var key: String? = nil
            if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "%") {
                key = "%"
            }
            if key == nil, i + 3 < bytes.count {
                let candidate = String(decoding: bytes[(i + 1)..<min(i + 4, bytes.count)], as: UTF8.self)
                if extendedKeys.contains(candidate) { key = candidate }
            }
            if key == nil, i + 1 < bytes.count, singleKeys.contains(bytes[i + 1]) {
                key = String(UnicodeScalar(bytes[i + 1]))
            }
            guard let key, let expansion = regex[key] else {
                let shown = String(decoding: bytes[i..<min(i + 2, bytes.count)], as: UTF8.self)
                throw DatePatternError(pattern: pattern, reason: .unknownDirective(shown))
            }
            out.append(contentsOf: expansion.utf8)
            i += 1 + (key == "%" ? 1 : key.utf8.count)
        }
        return (String(decoding: out, as: UTF8.self), alphabetic)
    }
}
