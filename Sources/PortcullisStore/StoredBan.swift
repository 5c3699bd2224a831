/// One ban as the store keeps it: the jail's decision plus what the ban's actions and a later restart
/// need to know (when, for how long, how often this address was banned before, the log lines that
/// caused it). Times are seconds since 1970; a negative `banTime` (fail2ban writes -1) means permanent.
public struct StoredBan: Sendable, Equatable {
    public var jail: String
    public var ip: String
    /// When the ban began.
    public var timeOfBan: Double
    /// Its length in seconds; -1 (any negative value) is a permanent ban.
    public var banTime: Double
    /// How many times this address has been banned in this jail, this ban included (the daemon
    /// increments it for `bantime.increment`; the store records it as given).
    public var banCount: Int
    /// Failures that led to the ban.
    public var failures: Int
    /// The log lines that led to the ban, oldest first (trimmed to the store's `maxMatches`).
    public var matches: [String]
    /// Further ticket data (named groups such as `user`), for action tags.
    public var fields: [String: String]?

    public init(jail: String, ip: String, timeOfBan: Double, banTime: Double, banCount: Int = 1,
                failures: Int = 0, matches: [String] = [], fields: [String: String]? = nil) {
        self.jail = jail
        self.ip = ip
        self.timeOfBan = timeOfBan
        self.banTime = banTime
        self.banCount = banCount
        self.failures = failures
        self.matches = matches
        self.fields = fields
    }

    /// True for a ban that never ends.
    public var isPermanent: Bool { banTime < 0 }

    /// When the ban ends; nil when permanent.
    public var endTime: Double? { isPermanent ? nil : timeOfBan + banTime }

    /// Whether the ban is still in force at `now` (a ban ending exactly at `now` is over).
    public func isActive(at now: Double) -> Bool {
        guard let endTime else { return true }
        return endTime > now
    }
}

/// What the store remembers about earlier bans of one address, for `bantime.increment`: the next ban
/// grows from `banCount`, and a failure older than `lastTimeOfBan` was already counted.
public struct BanHistory: Sendable, Equatable {
    /// The ban count recorded with the latest ban (summed over jails when asked for every jail).
    public var banCount: Int
    /// When the latest ban began.
    public var lastTimeOfBan: Double
    /// The length of the latest ban (-1: permanent).
    public var lastBanTime: Double

    public init(banCount: Int, lastTimeOfBan: Double, lastBanTime: Double) {
        self.banCount = banCount
        self.lastTimeOfBan = lastTimeOfBan
        self.lastBanTime = lastBanTime
    }
}

/// Where a jail stopped reading a log file, so a restart resumes there instead of re-reading (and
/// re-banning) old lines. `firstLineHash` identifies the file: a rotated file has another first line.
public struct StoredLogPosition: Sendable, Equatable {
    public var jail: String
    public var path: String
    public var firstLineHash: String
    /// Byte offset of the next unread line.
    public var offset: UInt64

    public init(jail: String, path: String, firstLineHash: String, offset: UInt64) {
        self.jail = jail
        self.path = path
        self.firstLineHash = firstLineHash
        self.offset = offset
    }
}

/// All recorded bans of one address merged, for fail2ban's action tags `<ipmatches>`,
/// `<ipjailmatches>`, `<ipfailures>` and `<ipjailfailures>`.
public struct MergedBans: Sendable, Equatable {
    public var ip: String
    /// How many bans were merged.
    public var bans: Int
    /// Failures of all merged bans.
    public var failures: Int
    /// Their log lines, oldest first; the newest `maxMatches` when the store has a limit.
    public var matches: [String]
    public var firstTimeOfBan: Double
    public var lastTimeOfBan: Double

    public init(ip: String, bans: Int, failures: Int, matches: [String], firstTimeOfBan: Double, lastTimeOfBan: Double) {
        self.ip = ip
        self.bans = bans
        self.failures = failures
        self.matches = matches
        self.firstTimeOfBan = firstTimeOfBan
        self.lastTimeOfBan = lastTimeOfBan
    }
}
