/// One compiled date template: its regex, fail2ban's flags and weight, and how to turn a
/// match into an epoch.
///
/// fail2ban has three kinds (`DatePatternRegex`, `DateEpoch`, `DateTai64n`); the detector
/// treats them alike and only the conversion differs, so the kind is an enum here. Each
/// detector owns its templates (a ``CompiledRegex`` is not reentrant), together with the
/// per-template hit counter fail2ban keeps on the template object.
final class DateTemplate {
    enum Kind {
        /// `%`-pattern or named-group regex read back by fail2ban's strptime.
        case pattern(DateFields)
        /// Seconds since the epoch in group `group`; `long` is `LEPOCH` (ms/µs accepted).
        case epoch(long: Bool, group: Int32)
        /// `@` + 24 hex digits.
        case tai64n
    }

    /// fail2ban's template name (used to refuse duplicates, shown in diagnostics).
    let name: String
    /// The Python-dialect regex, exactly as fail2ban builds it.
    let pythonRegex: String
    let regex: CompiledRegex
    let flags: TemplateRegex.Flags
    /// 100 for the line-anchored copies of the defaults, else 1 (fail2ban's `weight`).
    var weight: Double = 1.0
    let kind: Kind
    /// fail2ban's `DateTemplate.hits`: successful searches of this regex, any outcome.
    @exclusivity(unchecked) var regexHits = 0
    /// `{NONE}`: the empty date at the line start.
    var isNone = false
    /// A hand-written scanner equivalent to this template's regex on plain lines.
    var fastShape: FastDateScanner.Shape? = nil

    /// Line-begin or line-end anchored: fail2ban retries it on the whole line and trusts it.
    let isAnchored: Bool

    /// `pattern`: as configured, for error messages (nil for templates fail2ban builds without one).
    init(name: String, pattern: String?, built: TemplateRegex, kind: (CompiledRegex) throws(DatePatternError) -> Kind) throws(DatePatternError) {
        self.name = name
        self.pythonRegex = built.regex
        self.flags = built.flags
        self.isAnchored = built.flags.contains(.lineBegin) || built.flags.contains(.lineEnd)
        let compiled: CompiledRegex
        do {
            compiled = try CompiledRegex(pcre2: TemplateRegex.toPCRE2(built.regex))
        } catch {
            throw DatePatternError(pattern: pattern ?? name, reason: .invalidRegex(error.message))
        }
        for (groupName, numbers) in compiled.groupNumbers where numbers.count > 1 {
            throw DatePatternError(pattern: pattern ?? name, reason: .duplicateGroupName(groupName))
        }
        self.regex = compiled
        self.kind = try kind(compiled)
    }

    /// fail2ban's `_getPatternTemplate(pattern, key)`: the special names (`EPOCH`, `LEPOCH`,
    /// `TAI64N`, with `^`/`{^LN-BEG}`, and `{EPOCH}` inside a pattern), else a date pattern.
    static func make(pattern: String) throws(DatePatternError) -> DateTemplate {
        let key = pattern.contains("%") ? pattern : pattern.uppercased()
        if key.contains("EPOCH") {
            let long = key.contains("LEPOCH")
            if Meta.epochPlaceholder.first(in: Array(pattern.utf8)) != nil {
                return try epochPattern(pattern, long: long)
            }
            switch key {
            case "EPOCH", "{^LN-BEG}EPOCH", "^EPOCH":
                return try epoch(lineBeginOnly: key != "EPOCH", long: false, name: key == "EPOCH" ? "Epoch" : "{^LN-BEG}Epoch")
            case "LEPOCH", "{^LN-BEG}LEPOCH", "^LEPOCH":
                return try epoch(lineBeginOnly: key != "LEPOCH", long: true, name: key == "LEPOCH" ? "LongEpoch" : "{^LN-BEG}LongEpoch")
            default: break
            }
        }
        switch key {
        case "TAI64N", "{^LN-BEG}TAI64N", "^TAI64N":
            let lineStart = key != "TAI64N"
            let built = TemplateRegex.build("@[0-9a-f]{24}", begin: lineStart ? .line : .anywhere, end: true)
            return try DateTemplate(name: lineStart ? "{^LN-BEG}TAI64N" : "TAI64N", pattern: nil, built: built) { _ in .tai64n }
        default:
            return try datePattern(pattern)
        }
    }

    /// `DatePatternRegex(pattern)`.
    static func datePattern(_ pattern: String) throws(DatePatternError) -> DateTemplate {
        let built = try TemplateRegex.fromDatePattern(pattern)
        var name = pattern.hasPrefix("{UNB}") ? String(pattern.dropFirst(5)) : pattern
        if name.hasPrefix("{^LN-BEG}") { name.removeFirst(9) }
        if built.lineBeginAdded { name = "{^LN-BEG}" + name }
        let template = try DateTemplate(name: name, pattern: pattern, built: built) { (compiled) throws(DatePatternError) in
            .pattern(DateFields(compiled))
        }
        if pattern == "{^LN-BEG}" + DefaultTemplates.patterns[1] {
            template.fastShape = .syslog
        } else if pattern == "{^LN-BEG}" + DefaultTemplates.patterns[0] {
            template.fastShape = .iso
        }
        return template
    }

    private static let epochRE = #"\d{10,11}\b(?:\.\d{3,6})?"#
    private static let longEpochRE = #"\d{10,11}(?:\d{3}(?:\.\d{1,6}|\d{3})?)?"#

    /// `DateEpoch(lineBeginOnly:longFrm:)` without a pattern.
    static func epoch(lineBeginOnly: Bool, long: Bool, name: String) throws(DatePatternError) -> DateTemplate {
        let digits = long ? longEpochRE : epochRE
        let built: TemplateRegex
        if !lineBeginOnly {
            built = TemplateRegex.build(#"((?:^|(?P<square>(?<=^\[))|(?P<selinux>(?<=\baudit\()))"# + digits
                + #")(?:(?(selinux)(?=:\d+\)))|(?(square)(?=\])))"#, begin: .anywhere, end: true)
        } else {
            built = TemplateRegex.build(#"((?P<square>(?<=^\[))?"# + digits + #")(?(square)(?=\]))"#, begin: .line, end: true)
        }
        return try DateTemplate(name: name, pattern: nil, built: built) { _ in .epoch(long: long, group: 1) }
    }

    /// `DateEpoch(pattern:)`: `{EPOCH}`/`{LEPOCH}` inside a custom regex.
    static func epochPattern(_ pattern: String, long: Bool) throws(DatePatternError) -> DateTemplate {
        let digits = "(" + (long ? longEpochRE : epochRE) + ")"
        var bytes = Array(pattern.utf8)
        var out: [UInt8] = []
        var position = 0
        while let r = Meta.epochPlaceholder.first(in: bytes, from: position) {
            out += bytes[position..<r.lowerBound]
            out += Array(digits.utf8)
            position = r.upperBound
        }
        out += bytes[position...]
        bytes = [UInt8(ascii: "(")] + out + [UInt8(ascii: ")")]
        let built = TemplateRegex.build(String(decoding: bytes, as: UTF8.self), begin: .word, end: true)
        return try DateTemplate(name: pattern, pattern: pattern, built: built) { _ in .epoch(long: long, group: 2) }
    }

    /// Epoch of the date matched by the last successful `regex.search(line)`.
    @inline(__always)
    func convert(_ line: UnsafeBufferPointer<UInt8>, now: Double, clock: UnsafeMutablePointer<LocalClock>, defaultZone: Int?) -> (time: Double?, dropsLine: Bool) {
        switch kind {
        case .pattern(let fields):
            return fields.epoch(line, regex: regex, now: now, clock: clock, defaultZone: defaultZone)
        case .epoch(let long, let group):
            guard let r = regex.range(ofGroup: group), let v = PythonNumbers.float(line, r) else { return (nil, false) }
            guard long else { return (v, false) }
            var characters = 0
            var hasDot = false
            for i in r {
                if line[i] & 0xC0 != 0x80 { characters += 1 }
                if line[i] == UInt8(ascii: ".") { hasDot = true }
            }
            if characters >= 13 {
                return (characters >= 16 && !hasDot ? v / 1_000_000 : v / 1000, false)
            }
            return (v, false)
        case .tai64n:
            guard let r = regex.range(ofGroup: 1), r.count >= 17,
                  let v = PythonNumbers.hex(line, (r.lowerBound + 2)..<(r.lowerBound + 17)) else { return (nil, false) }
            return (Double(v), false)
        }
    }
}
