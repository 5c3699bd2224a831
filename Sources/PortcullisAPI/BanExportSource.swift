/// One current ban as the API exports it: a plain value the daemon copies out of its jails,
/// so rendering never touches live state.
public struct ExportedBan: Sendable, Equatable {
    public var jail: String
    /// An address (`192.0.2.1`, `2001:db8::1`) or a network (`198.51.100.0/24`).
    public var ip: String
    /// Epoch seconds.
    public var timeOfBan: Double
    /// Seconds; -1 (any negative value) is permanent.
    public var banTime: Double
    public var banCount: Int

    public init(jail: String, ip: String, timeOfBan: Double, banTime: Double, banCount: Int) {
        self.jail = jail
        self.ip = ip
        self.timeOfBan = timeOfBan
        self.banTime = banTime
        self.banCount = banCount
    }

    /// When the ban ends (epoch seconds); nil for a permanent ban.
    public var expiry: Double? { banTime < 0 ? nil : timeOfBan + banTime }
}

/// A jail as `/api/jails` lists it: the numbers `fail2ban-client status JAIL` shows.
public struct JailSummary: Sendable, Equatable {
    public var name: String
    public var currentlyFailed: Int
    public var totalFailed: Int
    public var currentlyBanned: Int
    public var totalBanned: Int
    /// Log files (or journal matches, feed URLs) the jail reads.
    public var sources: [String]
    public var backend: String

    public init(name: String, currentlyFailed: Int, totalFailed: Int, currentlyBanned: Int, totalBanned: Int,
                sources: [String], backend: String) {
        self.name = name
        self.currentlyFailed = currentlyFailed
        self.totalFailed = totalFailed
        self.currentlyBanned = currentlyBanned
        self.totalBanned = totalBanned
        self.sources = sources
        self.backend = backend
    }
}

/// A jail's counters since the daemon started, for `/metrics`.
public struct JailMetrics: Sendable, Equatable {
    public var name: String
    public var linesRead: Int
    public var failures: Int
    public var bans: Int
    public var unbans: Int
    public var actionErrors: Int
    public var currentlyBanned: Int

    public init(name: String, linesRead: Int, failures: Int, bans: Int, unbans: Int, actionErrors: Int, currentlyBanned: Int) {
        self.name = name
        self.linesRead = linesRead
        self.failures = failures
        self.bans = bans
        self.unbans = unbans
        self.actionErrors = actionErrors
        self.currentlyBanned = currentlyBanned
    }
}

/// A blocklist feed's state, for `/metrics`.
public struct FeedMetrics: Sendable, Equatable {
    public var name: String
    /// Entries in the feed's last good copy.
    public var size: Int
    public var invalidLines: Int
    public var fetches: Int
    public var failures: Int
    /// Epoch seconds of the last successful fetch.
    public var lastSuccess: Double?

    public init(name: String, size: Int, invalidLines: Int, fetches: Int, failures: Int, lastSuccess: Double? = nil) {
        self.name = name
        self.size = size
        self.invalidLines = invalidLines
        self.fetches = fetches
        self.failures = failures
        self.lastSuccess = lastSuccess
    }
}

/// Everything `/metrics` exposes, taken at one moment.
public struct MetricsSnapshot: Sendable, Equatable {
    public var jails: [JailMetrics]
    public var feeds: [FeedMetrics]
    /// Epoch seconds the daemon started.
    public var startTime: Double

    public init(jails: [JailMetrics], feeds: [FeedMetrics] = [], startTime: Double) {
        self.jails = jails
        self.feeds = feeds
        self.startTime = startTime
    }
}

/// What the daemon lends the API: read-only snapshots, asked per request, so the API holds no
/// state of its own and never blocks a jail.
public protocol BanExportSource: Sendable {
    /// Current bans, of one jail when `jail` is given (the API has already checked it exists).
    func bans(jail: String?) async -> [ExportedBan]
    func jails() async -> [JailSummary]
    func metrics() async -> MetricsSnapshot
}
