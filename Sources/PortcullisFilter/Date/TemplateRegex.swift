/// Builds the final regex of a date template from its pattern, with fail2ban's rules for
/// anchoring and grouping (`DateTemplate.setRegex`, `DatePatternRegex.setRegex`).
///
/// The result must be the very regex fail2ban searches with: which template wins, where the
/// date starts (group 1) and where it ends all follow from the boundary lookarounds and the
/// group fail2ban adds. The decisions are taken by regexes over the pattern text, as
/// fail2ban takes them, so odd patterns get the same treatment.
struct TemplateRegex {
    /// fail2ban's `DateTemplate` flags.
    struct Flags: OptionSet, Sendable {
        let rawValue: Int
        static let wordEnd = Flags(rawValue: 1)
        static let wordBegin = Flags(rawValue: 2)
        static let lineEnd = Flags(rawValue: 4)
        static let lineBegin = Flags(rawValue: 8)
    }

    /// Where the template may start: anywhere, at a word start, or at the line start.
    enum Begin { case anywhere, word, line }

    /// Python-dialect regex (as fail2ban has it).
    var regex: String
    var flags: Flags
    /// True when `{^LN-BEG}` anchoring was added (fail2ban then prefixes the name).
    var lineBeginAdded: Bool

    /// `DatePatternRegex.setRegex`: `{UNB}`, `{^LN-BEG}`, directives, case-insensitivity.
    static func fromDatePattern(_ pattern: String, begin: Begin = .word, end: Bool = true) throws(DatePatternError) -> TemplateRegex {
        var pattern = pattern
        var begin = begin
        var end = end
        if pattern.hasPrefix("{UNB}") {
            pattern.removeFirst(5)
            begin = .anywhere
            end = false
        }
        if begin != .anywhere && pattern.hasPrefix("{^LN-BEG}") {
            pattern.removeFirst(9)
            begin = .line
        }
        var (regex, alphabetic) = try TimeDirectives.expand(pattern)
        if alphabetic { regex = "(?iu)" + regex }
        return build(regex, begin: begin, end: end)
    }

    /// `DateTemplate.setRegex`.
    static func build(_ input: String, begin: Begin, end: Bool) -> TemplateRegex {
        var regex = Array(pythonStrip(input).utf8)
        var globalFlags: [UInt8] = []
        if let gf = Meta.globalFlags.first(in: regex) {
            globalFlags = Array(regex[gf])
            regex.removeSubrange(gf)
        }
        let boundBegin = begin != .anywhere && Meta.noWordBoundBegin.first(in: regex) == nil
        let boundEnd = end && Meta.noWordBoundEnd.first(in: regex) == nil
        if Meta.grouped.first(in: regex) == nil, let groups = Meta.group.groups(in: regex, count: 3),
           let g1 = groups[0], let g2 = groups[1], let g3 = groups[2] {
            regex = Array(regex[g1]) + [UInt8(ascii: "(")] + Array(regex[g2]) + [UInt8(ascii: ")")] + Array(regex[g3])
        }
        var flags: Flags = []
        var lineBeginAdded = false
        if boundBegin {
            if begin == .line {
                flags.insert(.lineBegin)
                regex = Array(#"^(?:\W{0,2})?"#.utf8) + regex
                lineBeginAdded = true
            } else {
                flags.insert(.wordBegin)
                regex = Array(#"(?=^|\b|\W)"#.utf8) + regex
            }
        }
        if boundEnd {
            flags.insert(.wordEnd)
            regex += Array(#"(?=\b|\W|$)"#.utf8)
        }
        if !flags.contains(.lineBegin) && Meta.lineBoundBegin.first(in: regex) != nil { flags.insert(.lineBegin) }
        if Meta.lineBoundEnd.first(in: regex) != nil { flags.insert(.lineEnd) }
        // Remove the "**" markers (no word boundary wanted) at the front and the end.
        var cleaned: [UInt8] = []
        var position = 0
        while position <= regex.count, let r = Meta.deleteWordBounds.first(in: regex, from: position) {
            cleaned += regex[position..<r.lowerBound]
            var k = r.lowerBound
            while k < r.upperBound {
                if k + 1 < r.upperBound && regex[k] == UInt8(ascii: "*") && regex[k + 1] == UInt8(ascii: "*") { k += 2; continue }
                cleaned.append(regex[k]); k += 1
            }
            position = r.upperBound
            if r.isEmpty { break }
        }
        cleaned += regex[min(position, regex.count)...]
        regex = globalFlags + cleaned
        return TemplateRegex(regex: String(decoding: regex, as: UTF8.self), flags: flags, lineBeginAdded: lineBeginAdded)
    }

    /// Python's `str.strip()` (whitespace at both ends).
    static func pythonStrip(_ s: String) -> String {
        var sub = Substring(s)
        while let f = sub.unicodeScalars.first, f.properties.isWhitespace || (f.value >= 28 && f.value <= 31) {
            sub = Substring(sub.unicodeScalars.dropFirst())
        }
        while let l = sub.unicodeScalars.last, l.properties.isWhitespace || (l.value >= 28 && l.value <= 31) {
            sub = Substring(sub.unicodeScalars.dropLast())
        }
        return String(sub)
    }

    /// The final regex in PCRE2's dialect: Python-only inline flags (`u`, `L`, `a`) dropped,
    /// then the shared Python → PCRE2 translation.
    static func toPCRE2(_ pythonRegex: String) -> String {
        var bytes = Array(pythonRegex.utf8)
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == UInt8(ascii: "("), bytes[i + 1] == UInt8(ascii: "?"), (i == 0 || bytes[i - 1] != UInt8(ascii: "\\")) {
                var j = i + 2
                while j < bytes.count, (bytes[j] >= 97 && bytes[j] <= 122) || bytes[j] == UInt8(ascii: "L") { j += 1 }
                if j > i + 2, j < bytes.count, bytes[j] == UInt8(ascii: ")") {
                    let kept = bytes[(i + 2)..<j].filter { $0 != UInt8(ascii: "u") && $0 != UInt8(ascii: "L") && $0 != UInt8(ascii: "a") }
                    if kept.isEmpty {
                        bytes.removeSubrange(i...j)
                        continue
                    }
                    bytes.replaceSubrange((i + 2)..<j, with: kept)
                }
            }
            i += 1
        }
        return PythonRegexDialect.toPCRE2(String(decoding: bytes, as: UTF8.self))
    }
}

/// The regexes fail2ban runs over date patterns, compiled once.
enum Meta {
    struct Pattern: @unchecked Sendable {
        let source: String
        // A CompiledRegex owns match data and is not reentrant: compile per use (cold path).
        func compiled() -> CompiledRegex {
            try! CompiledRegex(pcre2: source, jit: false)
        }
        func first(in s: [UInt8], from start: Int = 0) -> Range<Int>? {
            let re = compiled()
            return s.withUnsafeBufferPointer { re.search($0, from: start) == .matched ? re.range(ofGroup: 0) : nil }
        }
        func groups(in s: [UInt8], count: Int32) -> [Range<Int>?]? {
            let re = compiled()
            return s.withUnsafeBufferPointer { buffer -> [Range<Int>?]? in
                guard re.search(buffer) == .matched else { return nil }
                return (1...count).map { re.range(ofGroup: $0) }
            }
        }
    }
    static let globalFlags = Pattern(source: #"((?:^|(?!<\\))\(\?[a-z]+\))"#)
    static let noWordBoundBegin = Pattern(source: #"^\(*(?:\(\?\w+\))?(?:\^|\(*\*\*|\((?:\?:)?\^)"#)
    static let noWordBoundEnd = Pattern(source: #"(?<!\\)(?:\$\)?|\\b|\\s|\*\*\)*)$"#)
    static let grouped = Pattern(source: #"(?<!(?:\(\?))(?<!\\)\((?!\?)"#)
    static let group = Pattern(source: #"^((?:\(\?\w+\))?\^?(?:\(\?\w+\))?)(.*?)(\$?)$"#)
    static let lineBoundBegin = Pattern(source: #"^(?:\(\?\w+\))?(?:\^|\((?:\?:)?\^(?!\|))"#)
    static let lineBoundEnd = Pattern(source: #"(?<![\\\|])(?:\$\)?)$"#)
    static let deleteWordBounds = Pattern(source: #"^\(*(?:\(\?\w+\))?\(*\*\*|(?<!\\)\*\*\)*$"#)
    static let epochPlaceholder = Pattern(source: #"(?i)(?<!\\)\{L?EPOCH\}"#)
}
