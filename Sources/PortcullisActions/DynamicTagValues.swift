import PortcullisConfig

/// The run-time tags of one ban (fail2ban's `ActionInfo` as a lookup), each with the variable
/// name `ShellTagScanner` uses when the value needs quoting.
struct DynamicTagValues {
    private var values: [String: String] = [:]
    private var fields: [String: String] = [:]
    private var id: String?

    init(info: BanInfo?, options: OrderedOptions, family: String) {
        if !family.isEmpty { values["family"] = family }
        if let info {
            values["ip"] = info.ip
            values["ip-rev"] = IPAddressText.reversePointer(of: info.ip)
            if let host = info.hostName { values["ip-host"] = host }
            values["fid"] = info.id ?? info.ip
            values["failures"] = String(info.failures)
            values["time"] = ActionTags.pythonNumber(info.time)
            values["bantime"] = String(Int(info.banTime))
            values["bancount"] = String(info.banCount)
            values["matches"] = info.matches.joined(separator: "\n")
            values["ipmatches"] = (info.ipMatches.isEmpty ? info.matches : info.ipMatches).joined(separator: "\n")
            values["ipjailmatches"] = (info.ipJailMatches.isEmpty ? info.matches : info.ipJailMatches).joined(separator: "\n")
            values["ipfailures"] = String(info.ipFailures ?? info.failures)
            values["ipjailfailures"] = String(info.ipJailFailures ?? info.failures)
            values["restored"] = info.restored ? "1" : "0"
            for (name, value) in info.extraTags where values[name] == nil { values[name] = value }
            fields = info.fields
            id = info.id
        }
        // fail2ban substitutes these statically (escaped) when an option sets them.
        let conditional = family.isEmpty ? "" : "?family=" + family
        for name in ActionTags.escapedTags {
            if let value = options[name + conditional] ?? options[name] { values[name] = value }
        }
    }

    func value(for tag: String) -> ShellTagScanner.Value? {
        if let text = values[tag] {
            return .init(text: text, variable: ShellQuoting.variableName(for: tag))
        }
        if let field = Self.fieldName(tag) {
            let text = fields[field] ?? (field == "fid" ? id : nil) ?? ""
            return .init(text: text, variable: ShellQuoting.variableName(for: "F_" + field))
        }
        if let text = ActionTags.systemTag(tag) {
            return .init(text: text, variable: ShellQuoting.variableName(for: tag))
        }
        return nil
    }

    /// `F-USER` → `user`, `F-ID` → `fid`, `F-PORT` → `fport` (fail2ban's `<F-([A-Z0-9_\-]+)>`
    /// and `mapTag2Opt`); nil for other tags.
    static func fieldName(_ tag: String) -> String? {
        guard tag.hasPrefix("F-"), tag.count > 2 else { return nil }
        let name = tag.dropFirst(2)
        guard name.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }) else { return nil }
        let lower = name.lowercased()
        switch lower {
        case "id": return "fid"
        case "port": return "fport"
        default: return lower
        }
    }
}
