/// Everything an action may need to know about one ban (fail2ban's `ActionInfo`): the values behind
/// the run-time tags `<ip>`, `<failures>`, `<time>`, `<bantime>`, `<matches>`, `<F-USER>`…
///
/// Values that come from log lines (`matches`, `ipMatches`, `ipJailMatches`, every `fields` entry,
/// a non-IP `id`) are attacker-controlled; `ActionTags` never lets them reach the shell unquoted.
public struct BanInfo: Sendable, Equatable {
    /// The banned address (or the failure id when the filter bans something else, see `id`).
    public var ip: String
    /// Failures counted for this ban (`<failures>`).
    public var failures: Int
    /// Time of the ban, seconds since the epoch (`<time>`).
    public var time: Double
    /// Ban duration in seconds, -1 for permanent (`<bantime>`).
    public var banTime: Double
    /// How many times this address was banned before, counting this ban (`<bancount>`).
    public var banCount: Int
    /// The log lines behind this ban (`<matches>`, joined by newlines).
    public var matches: [String]
    /// The lines of every ban of this address in all jails (`<ipmatches>`); this ban's `matches` when empty.
    public var ipMatches: [String]
    /// The lines of every ban of this address in this jail (`<ipjailmatches>`); this ban's `matches` when empty.
    public var ipJailMatches: [String]
    /// Failures of this address in all jails (`<ipfailures>`); `failures` when nil.
    public var ipFailures: Int?
    /// Failures of this address in this jail (`<ipjailfailures>`); `failures` when nil.
    public var ipJailFailures: Int?
    /// The filter's `F-*` captures by lowercase name as the filter gives them (`user`, `fport`, custom
    /// ones): `<F-USER>` reads `user`, `<F-ID>` reads `fid`, `<F-PORT>` reads `fport`.
    public var fields: [String: String]
    /// Whether the ban is restored from the store at start-up (`<restored>`; `norestored` actions skip it).
    public var restored: Bool
    /// The failure id when it is not an address (`<fid>`); `ip` when nil.
    public var id: String?
    /// The reverse-DNS name (`<ip-host>`) when already known; looked up when a command needs it.
    public var hostName: String?
    /// Further run-time tags the daemon provides (`jail.banned`, `jail.found`…), escaped like log values.
    public var extraTags: [String: String]

    public init(ip: String, failures: Int = 0, time: Double, banTime: Double = -1, banCount: Int = 1,
                matches: [String] = [], ipMatches: [String] = [], ipJailMatches: [String] = [],
                ipFailures: Int? = nil, ipJailFailures: Int? = nil, fields: [String: String] = [:],
                restored: Bool = false, id: String? = nil, hostName: String? = nil, extraTags: [String: String] = [:]) {
        self.ip = ip
        self.failures = failures
        self.time = time
        self.banTime = banTime
        self.banCount = banCount
        self.matches = matches
        self.ipMatches = ipMatches
        self.ipJailMatches = ipJailMatches
        self.ipFailures = ipFailures
        self.ipJailFailures = ipJailFailures
        self.fields = fields
        self.restored = restored
        self.id = id
        self.hostName = hostName
        self.extraTags = extraTags
    }

    /// The "empty ticket" fail2ban substitutes into `actionstart`, `actionstop`, `actionflush`…:
    /// no address, no failures, the given time and the jail's ban time.
    public static func empty(time: Double, banTime: Double) -> BanInfo {
        BanInfo(ip: "", failures: 0, time: time, banTime: banTime, banCount: 0)
    }

    /// `inet4`, `inet6`, or "" when `ip` is not an address (a failure id).
    public var family: String { IPAddressText.family(of: ip) }
}
