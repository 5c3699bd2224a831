/// What the ban store remembers of an id's past bans in a jail (fail2ban's `bips` row): how many
/// bans, when the latest began and how long it was. `bantime.increment` grows the next ban from it.
public struct BanHistoryEntry: Sendable, Equatable {
    /// Bans so far (the latest ban's `banCount`).
    public var count: Int
    /// When the latest ban began.
    public var timeOfBan: Double
    /// The latest ban's duration (-1 permanent).
    public var banTime: Double

    public init(count: Int, timeOfBan: Double, banTime: Double) {
        self.count = count
        self.timeOfBan = timeOfBan
        self.banTime = banTime
    }

    /// `bantime.overalljails`: fail2ban merges an id's records of every jail by summing the counts
    /// and the durations and keeping the latest time. nil for no records.
    public static func merged(_ entries: [BanHistoryEntry]) -> BanHistoryEntry? {
        guard let first = entries.first else { return nil }
        return entries.dropFirst().reduce(first) {
            BanHistoryEntry(count: $0.count + $1.count, timeOfBan: max($0.timeOfBan, $1.timeOfBan), banTime: $0.banTime + $1.banTime)
        }
    }
}
