/// The daemon's own settings from `fail2ban.conf`, `fail2ban.d/*`, `fail2ban.local`
/// (`[Definition]`), with fail2ban's defaults for anything not set.
public struct FailBanSettings: Sendable, Equatable {
    public var socket: String
    public var pidFile: String
    public var logLevel: String
    public var logTarget: String
    public var syslogSocket: String
    public var allowIPv6: String
    public var dbFile: String
    public var dbPurgeAge: String
    public var dbMaxMatches: Int?
    /// Portcullis' own `nftnetlink` (default on): `nft add|delete element` commands of actions are
    /// carried out through netlink in the daemon instead of a shell and an `nft` process.
    public var nftNetlink: Bool
    /// Every `[Definition]` option, resolved.
    public var options: OrderedOptions

    public static let validLogLevels = ["CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG", "TRACEDEBUG", "HEAVYDEBUG",
                                        "MSG", "FATAL", "WARN"]

    /// Reads the `fail2ban` unit under `configDirectory`; all defaults when it has no files.
    public static func read(configDirectory: String, cache: IniFileCache = IniFileCache()) throws -> FailBanSettings {
        let files = ConfigFileSet.unitFiles(named: "fail2ban", in: configDirectory)
        let parser = try ConfigParserWithIncludes(paths: ConfigFileSet.withIncludes(files, cache: cache), cache: cache)
        func get(_ name: String, _ fallback: String) throws -> String {
            guard parser.hasSection("Definition") else { return fallback }
            return try parser.get("Definition", name) ?? fallback
        }
        var options = OrderedOptions()
        if parser.hasSection("Definition") {
            for name in parser.options("Definition", withDefaults: true) { options[name] = try parser.get("Definition", name) }
        }
        var dbMaxMatches: Int? = nil
        if let text = try parser.hasSection("Definition") ? parser.get("Definition", "dbmaxmatches") : nil {
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw ConfigError(at: parser.rawValue("Definition", "dbmaxmatches")?.location, "dbmaxmatches must be an integer, got '\(text)'")
            }
            dbMaxMatches = n
        }
        // Strict: a typo must not quietly turn the netlink path off (`asBool` reads it as false).
        let nftNetlinkText = try get("nftnetlink", "true")
        guard let nftNetlink = JailReader.strictBool(nftNetlinkText) else {
            throw ConfigError(at: parser.rawValue("Definition", "nftnetlink")?.location,
                              "nftnetlink must be true or false (or yes/no, on/off, 1/0), got '\(nftNetlinkText)'")
        }
        let logLevel = try get("loglevel", "INFO")
        if Int(logLevel) == nil && !validLogLevels.contains(logLevel.uppercased()) {
            throw ConfigError(at: parser.rawValue("Definition", "loglevel")?.location, "invalid loglevel '\(logLevel)' (expected one of \(validLogLevels.joined(separator: ", ")) or a number)")
        }
        return FailBanSettings(
            socket: try get("socket", "/var/run/fail2ban/fail2ban.sock"), pidFile: try get("pidfile", "/var/run/fail2ban/fail2ban.pid"),
            logLevel: logLevel, logTarget: try get("logtarget", "STDERR"), syslogSocket: try get("syslogsocket", "auto"),
            allowIPv6: try get("allowipv6", "auto"), dbFile: try get("dbfile", "/var/lib/fail2ban/fail2ban.sqlite3"),
            dbPurgeAge: try get("dbpurgeage", "1d"), dbMaxMatches: dbMaxMatches,
            nftNetlink: nftNetlink, options: options)
    }

    /// The commands `fail2ban-client -d` prints first.
    public var stream: [StreamCommand] {
        var s: [StreamCommand] = [["set", "syslogsocket", .string(syslogSocket)], ["set", "loglevel", .string(logLevel)],
                                  ["set", "logtarget", .string(logTarget)], ["set", "allowipv6", .string(allowIPv6)],
                                  ["set", "dbfile", .string(dbFile)]]
        if let dbMaxMatches { s.append(["set", "dbmaxmatches", .int(dbMaxMatches)]) }
        s.append(["set", "dbpurgeage", .string(dbPurgeAge)])
        return s
    }
}
