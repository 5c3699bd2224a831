/// One compiled `failregex`, `ignoreregex` or `prefregex`, with what fail2ban derives from its
/// groups: which `F-ALT_*` / `F-TUPLE_*` groups feed which field, and whether it can name a
/// failure (an `ip4`, `ip6`, `dns`, `fid` or `mlfid` group).
public final class FilterRegex {
    /// The regex as written in the filter (tags unexpanded), for reports.
    public let source: String
    /// The Python-dialect regex after tag expansion (what fail2ban-regex prints).
    public let expanded: String
    let compiled: CompiledRegex
    /// The pattern with its `(?P<content>.+)$` tail cut short, when that is exact
    /// (``ContentTail``): searched instead for a prefregex on a line without inner newline.
    let shortContent: CompiledRegex?
    /// The code of the last search (`compiled` or `shortContent`): where captures are read.
    /// Unretained: both are owned by this regex.
    @exclusivity(unchecked) private(set) var active: Unmanaged<CompiledRegex>
    /// Group names in a stable order (sorted), each with its group numbers.
    let groups: [(name: String, numbers: [Int32])]
    let altValues: [(group: String, field: String)]
    let tupleValues: [(group: String, field: String)]
    let skipLinesGroups: [Int32]

    static let failureIDGroups = ["fid", "ip4", "ip6", "dns"]

    public init(_ regex: String, multiline: Bool = false, useDns: String = "yes") throws(FilterRegexError) {
        source = regex
        expanded = FilterTags.expand(regex, useDns: useDns)
        if expanded.allSatisfy({ $0 == " " || $0 == "\t" }) {
            throw FilterRegexError(regex: regex, message: "cannot add empty regex")
        }
        let pattern = PythonRegexDialect.toPCRE2(expanded)
        do {
            compiled = try CompiledRegex(pcre2: pattern, multiline: multiline, asciiVariant: true)
        } catch {
            throw FilterRegexError(regex: regex, message: "\(error.message) (at offset \(error.offset) of \(error.pattern))")
        }
        active = .passUnretained(compiled)
        shortContent = ContentTail.shortened(pattern, multiline: multiline).flatMap {
            try? CompiledRegex(pcre2: $0, multiline: multiline, asciiVariant: true)
        }
        groups = compiled.groupNumbers.map { ($0.key, $0.value) }.sorted { $0.name < $1.name }
        var alt: [(String, String)] = []
        var tuple: [(String, String)] = []
        var skip: [(Int, Int32)] = []
        for (name, numbers) in groups {
            if let field = Self.compoundField(name, prefix: "alt_") { alt.append((name, field)) }
            else if let field = Self.compoundField(name, prefix: "tuple_") { tuple.append((name, field)) }
            if name.hasPrefix("skiplines"), let n = Int(name.dropFirst(9)) { skip.append((n, numbers[0])) }
        }
        altValues = alt
        tupleValues = tuple
        skipLinesGroups = skip.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Whether a group that identifies the failure is present (`mlfid` counts too).
    public var hasFailureIDGroup: Bool {
        (Self.failureIDGroups + ["mlfid"]).contains { compiled.groupNumbers[$0] != nil }
    }

    /// `alt_user1` → `user`, `tuple_host_2` → `host` (the trailing `_N` is a disambiguator).
    static func compoundField(_ name: String, prefix: String) -> String? {
        guard name.count > prefix.count, name.hasPrefix(prefix) else { return nil }
        var field = Substring(name.dropFirst(prefix.count))
        if let underscore = field.lastIndex(of: "_"),
           field.index(after: underscore) < field.endIndex,
           field[field.index(after: underscore)...].allSatisfy(\.isNumber) {
            field = field[..<underscore]
        }
        return FilterTags.groupName(forTag: String(field))
    }

    /// Searches a subject (`ascii`: every byte of it is ASCII); `.matched` leaves the
    /// captures readable (``capture(_:from:into:tuples:)``).
    @inline(__always)
    func search(_ subject: UnsafeBufferPointer<UInt8>, ascii: Bool = false) -> CompiledRegex.MatchOutcome {
        active = .passUnretained(compiled)
        return compiled.search(subject, ascii: ascii)
    }

    /// Searches with the content tail cut short (the subject is one line plus its "\n");
    /// the `content` group then holds the content's first character only.
    @inline(__always)
    func searchShortContent(_ subject: UnsafeBufferPointer<UInt8>, ascii: Bool) -> CompiledRegex.MatchOutcome {
        guard let shortContent else { return search(subject, ascii: ascii) }
        active = .passUnretained(shortContent)
        return shortContent.search(subject, ascii: ascii)
    }

    /// Text of the `skiplines*` groups of the last match, split into lines.
    func skippedLines(in subject: UnsafeBufferPointer<UInt8>) -> [String] {
        var text = ""
        for number in skipLinesGroups {
            if let r = active._withUnsafeGuaranteedRef({ $0.range(ofGroup: number) }) {
                text += String(decoding: UnsafeBufferPointer(rebasing: subject[r]), as: UTF8.self)
            }
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLastIfEmpty()
    }

    var matchRange: Range<Int> { active._withUnsafeGuaranteedRef { $0.matchRange } }
}

extension Array where Element == String {
    /// Python's `splitlines()` drops the empty piece after a final newline.
    func dropLastIfEmpty() -> [String] {
        if let last, last.isEmpty { return Array(dropLast()) }
        return self
    }
}

/// A filter regex that could not be used, with the regex as written.
public struct FilterRegexError: Error, CustomStringConvertible, Sendable {
    public let regex: String
    public let message: String
    public var description: String { "\(message): \(regex)" }
}
