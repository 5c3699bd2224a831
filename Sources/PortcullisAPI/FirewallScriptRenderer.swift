/// Ban lists as firewall input another host applies as a whole: re-running the script
/// replaces the previous list, so a cron job converges instead of accumulating rules.
enum FirewallScriptRenderer {
    static let chain = "portcullis-banlist"
    static let table = "portcullis_banlist"

    /// ```
    /// *filter
    /// :portcullis-banlist - [0:0]
    /// -A portcullis-banlist -s 192.0.2.1/32 -j DROP
    /// COMMIT
    /// ```
    /// Declaring the chain flushes it even under `--noflush`, which leaves every other chain alone.
    static func iptablesRestore(_ bans: [ExportedBan], version: IPVersion) -> String {
        let addresses = BannedAddress.distinct(bans, version: version)
        var out = "# Portcullis ban list for \(version == .v4 ? "iptables" : "ip6tables")-restore --noflush: \(addresses.count) entries\n"
        out += "*filter\n:\(chain) - [0:0]\n"
        for address in addresses { out += "-A \(chain) -s \(address.cidr) -j DROP\n" }
        return out + "COMMIT\n"
    }

    /// An `nft -f` script: creating then deleting the table makes the first run and every
    /// later one the same, then the table is defined afresh with `flags interval` sets (so
    /// networks are allowed) and an input chain dropping both.
    static func nftables(_ bans: [ExportedBan], version: IPVersion?) -> String {
        let addresses = BannedAddress.distinct(bans, version: version)
        var out = "#!/usr/sbin/nft -f\n# Portcullis ban list: \(addresses.count) entries\n"
        out += "table inet \(table)\ndelete table inet \(table)\n"
        out += "table inet \(table) {\n"
        for (set, type, setVersion) in [("banned4", "ipv4_addr", IPVersion.v4), ("banned6", "ipv6_addr", IPVersion.v6)] {
            out += "\tset \(set) {\n\t\ttype \(type)\n\t\tflags interval\n\t\tauto-merge\n"
            let elements = addresses.filter { $0.version == setVersion }.map(\.text)
            if !elements.isEmpty { out += "\t\telements = { \(elements.joined(separator: ", ")) }\n" }
            out += "\t}\n"
        }
        out += "\tchain input {\n\t\ttype filter hook input priority filter - 1; policy accept;\n"
        out += "\t\tip saddr @banned4 drop\n\t\tip6 saddr @banned6 drop\n\t}\n}\n"
        return out
    }
}
