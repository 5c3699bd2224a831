/// `%(name)s` interpolation exactly as fail2ban's ConfigParser performs it when an option is read:
///
/// - `%(opt)s` looks in the caller's vars, then the section, then `[DEFAULT]`;
/// - `%(section/opt)s` takes the raw value from another section, `%(default/opt)s` from `[DEFAULT]`,
///   `%(known/opt)s` the value the option had before a later file overrode it (falling back to
///   `[DEFAULT]`); `%(__name__)s` is the section's name;
/// - every referenced value is itself interpolated *in the reading section's context*;
/// - `%%` is a literal `%`; more than 10 levels of nesting is an error (almost always a loop).
extension ConfigParserWithIncludes {
    /// Python ConfigParser's `MAX_INTERPOLATION_DEPTH`.
    public static let maxInterpolationDepth = 10

    /// The option's value (interpolated unless `raw`), or nil when the section or option does not exist.
    /// Throws `ConfigError` (with the offending value's `file:line`) when interpolation fails.
    public func get(_ section: String, _ option: String, vars: OrderedOptions = OrderedOptions(), raw: Bool = false) throws -> String? {
        guard section == "DEFAULT" || sectionTables[section] != nil else { return nil }
        let name = option.lowercased()
        var varTable: [String: ConfigValue] = [:]
        for (key, value) in vars { varTable[key.lowercased()] = ConfigValue(value) }
        let found = varTable[name] ?? sectionTables[section]?[name] ?? defaults[name]
        guard let found else { return nil }
        if raw { return found.value }
        var out = ""
        try interpolate(found, option: name, section: section, vars: varTable, depth: 1, into: &out)
        return out
    }

    /// fail2ban's `get_ex`: like `get`, but `section/opt` names (as used by `<lt_file/__prefix_line>`
    /// tags) read `opt` from that section; `known/opt` from the earlier definition, then the section.
    public func getEx(_ section: String, _ option: String, vars: OrderedOptions = OrderedOptions()) throws -> String? {
        if let slash = option.firstIndex(of: "/") {
            let sec = String(option[..<slash]), opt = String(option[option.index(after: slash)...])
            let secOK = !sec.isEmpty && sec.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            let optOK = !opt.isEmpty && !opt.contains { $0.isWhitespace || $0 == ">" }
            if secOK && optOK {
                let candidates: [String]
                switch sec.lowercased() {
                case "known": candidates = ["KNOWN/" + section, section]
                case "default": candidates = ["DEFAULT"]
                default: candidates = [sec]
                }
                for candidate in candidates {
                    if let value = try get(candidate, opt) { return value }
                }
            }
        }
        return try get(section, option, vars: vars)
    }

    private func interpolate(_ value: ConfigValue, option: String, section: String, vars: [String: ConfigValue],
                             depth: Int, into out: inout String) throws {
        if depth > Self.maxInterpolationDepth {
            throw ConfigError(at: value.location, "interpolation of option '\(option)' in [\(section)] nests deeper than \(Self.maxInterpolationDepth) levels (does a value refer to itself?): \(value.value)")
        }
        var map = vars
        map["__name__"] = ConfigValue(section)
        mapSectionReferences(in: value.value, section: section, into: &map)

        var rest = Substring(value.value)
        while !rest.isEmpty {
            guard let p = rest.firstIndex(of: "%") else { out += rest; return }
            out += rest[..<p]
            rest = rest[p...]
            let next = rest.dropFirst().first
            if next == "%" {
                out += "%"
                rest = rest.dropFirst(2)
            } else if next == "(" {
                let afterParen = rest.index(rest.startIndex, offsetBy: 2)
                guard let close = rest[afterParen...].firstIndex(of: ")"), close > afterParen,
                      rest[rest.index(after: close)...].first == "s" else {
                    throw ConfigError(at: value.location, "bad interpolation reference in option '\(option)' of [\(section)]: \(rest.prefix(40)) (expected %(name)s)")
                }
                let reference = String(rest[afterParen..<close])
                rest = rest[rest.index(close, offsetBy: 2)...]
                let key = reference.lowercased()
                guard let referenced = map[key] ?? sectionTables[section]?[key] ?? defaults[key] else {
                    throw ConfigError(at: value.location, "option '\(option)' in [\(section)] refers to %(\(reference))s, but '\(key)' is not defined")
                }
                if referenced.value.contains("%") {
                    try interpolate(ConfigValue(referenced.value, at: referenced.location ?? value.location),
                                    option: option, section: section, vars: map, depth: depth + 1, into: &out)
                } else {
                    out += referenced.value
                }
            } else {
                throw ConfigError(at: value.location, "'%' must be followed by '%' or '(' in option '\(option)' of [\(section)], found: \(rest.prefix(40)) (write %% for a literal percent sign)")
            }
        }
    }

    /// `_map_section_options`: makes `%(sec/opt)s`, `%(default/opt)s`, `%(known/opt)s` resolvable.
    private func mapSectionReferences(in text: String, section: String, into map: inout [String: ConfigValue]) {
        guard text.contains("/"), text.contains("%(") else { return }
        var rest = Substring(text)
        while let start = rest.range(of: "%(") {
            rest = rest[start.upperBound...]
            guard let close = rest.firstIndex(of: ")") else { return }
            let inner = rest[..<close]
            guard rest[rest.index(after: close)...].first == "s", let slash = inner.firstIndex(of: "/") else { continue }
            let sec = String(inner[..<slash]), opt = String(inner[inner.index(after: slash)...])
            guard !sec.isEmpty, !opt.isEmpty,
                  sec.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { continue }
            let sopt = String(inner)
            if map[sopt] != nil || sectionTables[section]?[sopt] != nil || defaults[sopt] != nil { continue }
            var found: ConfigValue?
            switch sec.lowercased() {
            case "default":
                found = defaults[opt]
            case "known":
                found = sectionTables["KNOWN/" + section]?[opt] ?? defaults[opt]
            default:
                guard let table = sectionTables[sec] else { continue }
                found = table[opt] ?? defaults[opt]
            }
            if let found { map[sopt] = found }
        }
    }
}
