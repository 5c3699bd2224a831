/// What `SQLiteBanStore.importFail2banDatabase` found in a fail2ban database and did with it, for the
/// daemon to log when taking over from fail2ban.
public struct ImportReport: Sendable, Equatable {
    /// `fail2banDb.version` of the source (fail2ban 0.11 and later write 4).
    public var schemaVersion: Int = 0
    /// Jail names read from its `jails` table (added disabled unless the store has them).
    public var jails = 0
    /// Rows of its `bans` table added to the history.
    public var historyBans = 0
    /// Rows of its `bans` table already in the store's history (importing twice adds nothing).
    public var duplicateHistoryBans = 0
    /// Latest bans still in force at `now`, made current bans.
    public var currentBans = 0
    /// Latest bans over at `now`: kept for ban history (`bantime.increment`) only.
    public var expiredBans = 0
    /// Log positions added (positions the store already had are kept).
    public var logPositions = 0
    /// Rows left out because they cannot be a ban or a position (no jail or address, a time that is
    /// not a number); `problems` says why for the first few.
    public var skippedRows = 0
    /// Bans whose `data` JSON could not be read: imported without matches and fields.
    public var unreadableData = 0
    /// Bans with an unknown length (fail2ban's -2 after its own upgrade, or schema 2, which had no
    /// ban times): given the `unknownBanTime` the import was called with.
    public var unknownBanTimes = 0
    /// Why rows were skipped: "table rowid N: reason", at most `maxProblems`.
    public var problems: [String] = []

    public static let maxProblems = 20

    public init() {}

    mutating func skip(_ table: String, _ rowID: Int64?, _ reason: String) {
        skippedRows += 1
        if problems.count < Self.maxProblems {
            problems.append("\(table) rowid \(rowID.map(String.init) ?? "?"): \(reason)")
        }
    }
}
