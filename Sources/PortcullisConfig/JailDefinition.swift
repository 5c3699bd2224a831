/// One jail, fully resolved: what the engine needs to watch logs, count failures and ban.
/// Typed fields for what Portcullis acts on; `options` keeps every resolved jail option and
/// `rawOptions` every option as written, so nothing the administrator wrote is lost.
public struct JailDefinition: Sendable {
    public var name: String
    /// Where the jail's section starts (its first option), for messages.
    public var location: SourceLocation?
    public var enabled: Bool
    /// `filter = sshd[mode=aggressive]` as parsed; nil when the jail has no filter.
    public var filterSpec: OptionSpec?
    /// The filter resolved for this jail, jail-level `failregex`/`ignoreregex`/`prefregex`/
    /// `datepattern`/`maxlines`/`journalmatch`/`usedns` overriding the filter's.
    public var filter: FilterDefinition?
    public var actions: [ActionDefinition]
    /// `action = foo.py[…]` entries: recognised, not supported.
    public var pythonActions: [PythonActionReference]
    /// `logpath`, one entry per line as written (globs not expanded; a trailing ` head`/` tail` kept).
    public var logPath: [String]
    public var backend: String
    public var maxRetry: Int?
    public var maxMatches: Int?
    /// As written (`10m`); see `TimeAbbreviation.seconds`.
    public var findTime: String?
    public var banTime: String?
    /// `bantime.increment`, `bantime.factor`, `bantime.formula`, `bantime.multipliers`,
    /// `bantime.maxtime`, `bantime.rndtime`, `bantime.overalljails` when set.
    public var banTimeOptions: OrderedOptions
    public var ignoreIP: [String]
    public var ignoreSelf: Bool?
    public var ignoreCommand: String?
    public var usedns: String?
    public var logEncoding: String?
    public var logTimezone: String?
    /// The jail's recognised options after interpolation (fail2ban's `JailReader._configOpts`).
    public var options: OrderedOptions
    /// Every option of the jail's section and `[DEFAULT]`, raw, with file:line.
    public var rawOptions: [String: ConfigValue]
    /// Problems fail2ban only warns about (a value that is not a number, falling back to default).
    public var warnings: [ConfigError]
    /// The commands `fail2ban-client -d` would send for this jail.
    public var stream: [StreamCommand]
}
