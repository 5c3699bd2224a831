/// `<tag>` substitution among a set of options, as fail2ban's `substituteRecursiveTags` does for
/// filters and actions: `b = <a>_3` becomes `3_3` when `a = 3`, repeatedly, so nested tags such as
/// `<lt_<logtype>/__prefix_line>` resolve inside-out. Tags that name no option (`<HOST>`, `<ip>`,
/// `<matches>`) are left in place for the engine to fill at run time.
///
/// Reusable by actions later: pass `conditional: "family=inet6"` to prefer `opt?family=inet6` values.
public enum TagSubstitution {
    /// fail2ban's `MAX_TAG_REPLACE_COUNT`.
    public static let maxReplaceCount = 25

    /// Returns `tags` with every value's `<name>` references replaced.
    /// - Parameters:
    ///   - ignore: option names neither substituted nor substituted into others.
    ///   - additional: fallback lookup for names not in `tags` (fail2ban's `addrepl`).
    /// - Throws: `ConfigError` on self-referencing definitions.
    public static func substituteRecursiveTags(
        _ tags: OrderedOptions, conditional: String = "", ignore: Set<String> = [],
        additional: ((String) throws -> String?)? = nil
    ) throws -> OrderedOptions {
        var tags = tags
        var done = Set<String>()
        var repCounts: [String: [String: Int]] = [:]
        while true {
            var repeatPass = false
            for tag in tags.names {
                if ignore.contains(tag) || done.contains(tag) { continue }
                let original = tags[tag]!
                var value = original
                var counts = repCounts[tag] ?? [:]
                var searchFrom = value.startIndex
                while let match = findTag(in: value, from: searchFrom) {
                    let name = String(value[match.name])
                    if ignore.contains(name) {
                        searchFrom = match.range.upperBound
                        continue
                    }
                    if name == tag || (counts[name] ?? 1) > maxReplaceCount {
                        throw ConfigError("tag definitions refer to themselves and cannot be resolved: <\(tag)> uses <\(name)> (value: \(value))")
                    }
                    var replacement: String? = nil
                    if !conditional.isEmpty { replacement = tags[name + "?" + conditional] }
                    if replacement == nil { replacement = tags[name] }
                    if replacement == nil, let additional { replacement = try additional(name) }
                    guard let replacement else {
                        searchFrom = match.range.upperBound
                        continue
                    }
                    let start = value.distance(from: value.startIndex, to: match.range.lowerBound)
                    value = value.replacingOccurrences(of: "<\(name)>", with: replacement)
                    counts[name, default: 0] += 1
                    searchFrom = value.index(value.startIndex, offsetBy: min(start, value.count))
                }
                if original != value {
                    if findTag(in: value, from: value.startIndex) != nil {
                        repCounts[tag] = counts
                        repeatPass = true
                    }
                    tags[tag] = value
                }
                if !value.contains("<") { done.insert(tag) }
            }
            if !repeatPass { break }
        }
        return tags
    }

    /// The first `<name>` (no spaces, `<` or `>` inside) at or after `from` — fail2ban's `TAG_CRE`.
    static func findTag(in value: String, from: String.Index) -> (range: Range<String.Index>, name: Range<String.Index>)? {
        var i = from
        while i < value.endIndex {
            if value[i] == "<" {
                var j = value.index(after: i)
                while j < value.endIndex, value[j] != "<", value[j] != ">", value[j] != " " { j = value.index(after: j) }
                if j < value.endIndex, value[j] == ">", j > value.index(after: i) {
                    return (i..<value.index(after: j), value.index(after: i)..<j)
                }
                i = j < value.endIndex && value[j] == "<" ? j : value.index(after: i)
                continue
            }
            i = value.index(after: i)
        }
        return nil
    }
}
