/// Expands fail2ban's regex tags (`<HOST>`, `<ADDR>`, `<F-USER>…</F-USER>`, `<SKIPLINES>`, …)
/// into named groups, producing a Python-dialect regex.
///
/// The group names are fail2ban's (`ip4`, `ip6`, `dns`, `cidr`, `fid`, `fport`, `user`, …), so
/// everything downstream (failure ids, `<F-*>` fields, action tags) speaks the same words.
public enum FilterTags {
    static let ip4 = #"(?:\d{1,3}\.){3}\d{1,3}"#
    static let ip6 = #"(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):)"#

    static let ip4Group = #"(?:::f{4,6}:)?(?P<ip4>"# + ip4 + ")"
    static let ip6Group = "(?P<ip6>" + ip6 + ")"
    static let dnsGroup = #"(?P<dns>[\w\-.^_]*\w)"#
    static let cidrGroup = #"(?P<cidr>\d+)"#
    static let addrGroup = #"\[?(?:"# + ip4Group + "|" + ip6Group + #")\]?"#
    static let hostGroup = "(?:" + addrGroup + "|" + dnsGroup + ")"
    static let subnetGroup = #"\[?(?:"# + ip4Group + "|" + ip6Group + ")(?:/" + cidrGroup + #")?\]?"#

    static let fixedTags: [String: String] = [
        "IP4": ip4Group, "F-IP4/": ip4Group,
        "IP6": ip6Group, "F-IP6/": ip6Group,
        "ADDR": addrGroup, "F-ADDR/": addrGroup,
        "CIDR": cidrGroup, "F-CIDR/": cidrGroup,
        "SUBNET": subnetGroup, "F-SUBNET/": subnetGroup,
        "DNS": dnsGroup, "F-DNS/": dnsGroup,
        "F-ID/": #"(?P<fid>\S+)"#,
        "F-PORT/": #"(?P<fport>\w+)"#,
    ]

    /// `<F-ID>` captures as `fid`, `<F-PORT>` as `fport`; every other `<F-NAME>` as `name` lowercased.
    public static func groupName(forTag tag: String) -> String {
        let lower = tag.lowercased()
        switch lower {
        case "id": return "fid"
        case "port": return "fport"
        default: return lower
        }
    }

    /// Expands the tags of `regex`. `useDns == "no"` makes `<HOST>` match addresses only.
    public static func expand(_ regex: String, useDns: String = "yes") -> String {
        var out = ""
        out.reserveCapacity(regex.utf8.count * 2)
        var openTags: Set<String> = []
        var skipLinesCount = 0
        var rest = Substring(regex)
        while let lt = rest.firstIndex(of: "<") {
            out += rest[..<lt]
            guard let tagEnd = tagEnd(in: rest, from: lt) else {
                out.append("<")
                rest = rest[rest.index(after: lt)...]
                continue
            }
            let tag = String(rest[lt..<tagEnd])          // e.g. "<HOST>", "</F-USER>"
            let name = String(tag.dropFirst().dropLast()) // "HOST", "/F-USER"
            out += substitute(tag: tag, name: name, useDns: useDns, openTags: &openTags, skipLines: &skipLinesCount)
            rest = rest[tagEnd...]
        }
        out += rest
        return out
    }

    /// Finds the end (exclusive) of a tag `</?[\w\-]+/?>` starting at `start`, or nil when none.
    private static func tagEnd(in s: Substring, from start: Substring.Index) -> Substring.Index? {
        var i = s.index(after: start)
        if i < s.endIndex && s[i] == "/" { i = s.index(after: i) }
        let nameStart = i
        while i < s.endIndex, s[i].isLetter || s[i].isNumber || s[i] == "_" || s[i] == "-" { i = s.index(after: i) }
        guard i > nameStart, i < s.endIndex else { return nil }
        if s[i] == "/" { i = s.index(after: i) }
        guard i < s.endIndex, s[i] == ">" else { return nil }
        return s.index(after: i)
    }

    private static func substitute(tag: String, name: String, useDns: String,
                                   openTags: inout Set<String>, skipLines: inout Int) -> String {
        if name == "HOST" { return useDns == "no" ? addrGroup : hostGroup }
        if name == "SKIPLINES" {
            defer { skipLines += 1 }
            return #"\n(?P<skiplines"# + String(skipLines) + #">(?:(?:.*\n)*?))"#
        }
        if let fixed = fixedTags[name] { return fixed }
        // <F-NAME> opens a named group, </F-NAME> closes it (uppercase names only, as fail2ban).
        var body = Substring(name)
        let closing = body.hasPrefix("/")
        if closing { body = body.dropFirst() }
        guard body.hasPrefix("F-") else { return tag }
        let custom = body.dropFirst(2)
        guard !custom.isEmpty, custom.allSatisfy({ ($0.isASCII && ($0.isUppercase || $0.isNumber)) || $0 == "_" || $0 == "-" }) else {
            return tag
        }
        let key = String(custom)
        if closing {
            return openTags.contains(key) ? ")" : tag
        }
        openTags.insert(key)
        return "(?P<" + groupName(forTag: key) + ">"
    }
}
