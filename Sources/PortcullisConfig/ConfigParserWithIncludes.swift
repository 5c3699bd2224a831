/// Several files merged into one view, as fail2ban's `SafeConfigParserWithIncludes` does:
/// `[DEFAULT]`s merge, same-named sections merge (later file wins per option), and the value
/// an option had *before* a later file overrode it is kept in a hidden `KNOWN/<section>`
/// section so `%(known/opt)s` can extend it (`port = %(known/port)s,8022` in `jail.local`).
/// Conditional sections `[Init?family=inet6]` fold into `[Init]` as `opt?family=inet6`.
public struct ConfigParserWithIncludes: Sendable {
    /// Merged `[DEFAULT]`.
    public var defaults = OptionTable()
    /// Merged sections (including hidden `KNOWN/…` ones), by name.
    public var sectionTables: [String: OptionTable] = [:]
    /// Section names in order of first appearance (including `KNOWN/…`).
    public private(set) var sectionOrder: [String] = []

    /// Merges `files` in order.
    public init(files: [IniFile]) {
        for file in files { merge(file) }
    }

    /// Reads `paths` (already expanded with includes) through `cache`, merging in order.
    public init(paths: [String], cache: IniFileCache) throws {
        for path in paths {
            if let file = try cache.file(at: path) { merge(file) }
        }
    }

    /// User-visible sections: everything but the hidden `KNOWN/…` ones (DEFAULT is never a section).
    public var sections: [String] { sectionOrder.filter { !$0.hasPrefix("KNOWN/") } }

    public func hasSection(_ name: String) -> Bool { sectionTables[name] != nil }

    /// Own option names of a section, optionally with `[DEFAULT]`'s (Python set semantics: order not significant).
    public func options(_ section: String, withDefaults: Bool = false) -> [String] {
        var names = sectionTables[section]?.names ?? []
        if withDefaults {
            for name in defaults.names where !names.contains(name) { names.append(name) }
        }
        return names
    }

    public func rawValue(_ section: String, _ option: String) -> ConfigValue? {
        sectionTables[section]?[option] ?? defaults[option]
    }

    public mutating func merge(_ file: IniFile) {
        defaults.update(with: file.defaults)
        for (rawName, table) in file.sections {
            var name = rawName
            var options = table
            if let (base, condition) = Self.splitConditional(rawName) {
                name = base
                options = OptionTable()
                for (option, value) in table.entries { options[option + condition] = value }
            }
            if var existing = sectionTables[name] {
                var known = sectionTables["KNOWN/" + name] ?? OptionTable()
                if sectionTables["KNOWN/" + name] == nil { sectionOrder.append("KNOWN/" + name) }
                for (option, value) in existing.entries where options.contains(option) { known[option] = value }
                sectionTables["KNOWN/" + name] = known
                existing.update(with: options)
                sectionTables[name] = existing
            } else {
                sectionTables[name] = options
                sectionOrder.append(name)
            }
        }
    }

    /// Adds options to a section (creating it), optionally prefixing names not yet prefixed —
    /// fail2ban's `merge_section`, used to expose a filter's options to its jail as `known/…`.
    public mutating func mergeSection(_ section: String, _ options: OrderedOptions, prefix: String = "") {
        var table = sectionTables[section] ?? OptionTable()
        if sectionTables[section] == nil { sectionOrder.append(section) }
        for (name, value) in options {
            if prefix.isEmpty {
                table[name] = ConfigValue(value)
            } else if !name.hasPrefix(prefix) && name != "__name__" {
                table[prefix + name] = ConfigValue(value)
            }
        }
        sectionTables[section] = table
    }

    public mutating func mergeDefaults(_ options: [(String, String)]) {
        for (name, value) in options { defaults[name] = ConfigValue(value) }
    }

    /// `^(\w+)(\?.+)$` → (`Init`, `?family=inet6`).
    static func splitConditional(_ name: String) -> (String, String)? {
        guard let q = name.firstIndex(of: "?"), q != name.startIndex, name.index(after: q) != name.endIndex else { return nil }
        let base = name[..<q]
        guard base.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return (String(base), String(name[q...]))
    }
}
