/// A current ban: who, since when, for how long, and what led to it — what actions see as
/// `<ip>`, `<time>`, `<bantime>`, `<bancount>`, `<failures>`, `<matches>` and what the store keeps.
public struct BanTicket: Sendable, Equatable {
    /// Canonical address or `<F-ID>`.
    public var id: String
    /// When the ban counts from: the latest failure's time (fail2ban bans "as of" the failure,
    /// so a ban read late from a log may already be over), or the moment of a manual ban.
    public var timeOfBan: Double
    /// Seconds; negative (-1) means permanent.
    public var banTime: Double
    /// How many times this id has been banned, this ban included (1 for a first ban).
    public var banCount: Int
    /// Failures that led to the ban (0 for a manual ban).
    public var failures: Int
    /// The matched log lines (at most `maxmatches`).
    public var matches: [String]
    /// Captured fields of the failure (`user`, `F-*` groups).
    public var fields: [String: String]
    /// A ban re-instated from the store (or re-read from a log after restart): not stored again,
    /// and actions with `norestored` skip it.
    public var restored: Bool

    public init(id: String, timeOfBan: Double, banTime: Double, banCount: Int = 1, failures: Int = 0,
                matches: [String] = [], fields: [String: String] = [:], restored: Bool = false) {
        self.id = id
        self.timeOfBan = timeOfBan
        self.banTime = banTime
        self.banCount = banCount
        self.failures = failures
        self.matches = matches
        self.fields = fields
        self.restored = restored
    }

    /// The ban a failure ticket turns into.
    public init(_ failure: FailureTicket, banTime: Double, banCount: Int = 1) {
        self.init(id: failure.id, timeOfBan: failure.time, banTime: banTime, banCount: banCount,
                  failures: failure.failures, matches: failure.matches, fields: failure.fields)
    }

    public var isPermanent: Bool { banTime < 0 }

    /// When the ban ends; nil when permanent.
    public var endTime: Double? { isPermanent ? nil : timeOfBan + banTime }

    /// Whether the ban is over at `now` (fail2ban: strictly after the end).
    public func isExpired(now: Double) -> Bool {
        guard let endTime else { return false }
        return now > endTime
    }

    /// The end for comparisons: +infinity when permanent.
    var sortableEnd: Double { endTime ?? .infinity }
}
