import GRDB

/// Writes bans into the ban tables and reads current bans back, through `RawStatement`s (from GRDB's
/// statement cache, so each is prepared once per connection). Used by `addBans`, the current-ban
/// reads and (for history rows) the import.
struct BanRows {
    private let db: Database
    private let maxMatches: Int?
    private let history: RawStatement

    init(_ db: Database, maxMatches: Int?) throws {
        self.db = db
        self.maxMatches = maxMatches
        history = try RawStatement(db, """
            INSERT INTO bans(jail, ip, time_of_ban, ban_time, ban_count, failures, matches, fields)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """)
    }

    /// Why the store refuses `ban`, or nil.
    static func problem(with ban: StoredBan) -> String? {
        if ban.jail.isEmpty { return "the jail name is empty" }
        if ban.ip.isEmpty { return "the address is empty" }
        if !ban.timeOfBan.isFinite { return "the time of ban of \(ban.ip) is not a number" }
        if !ban.banTime.isFinite { return "the ban time of \(ban.ip) is not a number" }
        return nil
    }

    /// Adds `bans` to the history, then makes each the current ban of its jail and address and updates
    /// the ban history, in order (a later ban of the same jail and address wins). The history rows are
    /// inserted one by one; the other two tables follow from them in two set-based statements, which
    /// keeps per-ban work to one statement.
    func insert(_ bans: [StoredBan]) throws {
        let lastID = try lastHistoryID()
        for ban in bans {
            try addHistoryRow(ban)
        }
        try run(Self.currentFromNewRows, after: lastID)
        try run(Self.banHistoryFromNewRows, after: lastID)
    }

    /// The current bans of the history rows after `?1`.
    private static let currentFromNewRows = """
        INSERT INTO current_bans(jail, ip, ban_id, end_time)
        SELECT jail, ip, id, CASE WHEN ban_time < 0 THEN NULL ELSE time_of_ban + ban_time END
        FROM bans WHERE id > ?1 ORDER BY id
        ON CONFLICT(jail, ip) DO UPDATE SET ban_id = excluded.ban_id, end_time = excluded.end_time
        """

    /// The ban history of the history rows after `?1`: it follows the latest ban, whatever order
    /// bans arrive in.
    private static let banHistoryFromNewRows = """
        INSERT INTO ban_history(ip, jail, ban_count, last_time_of_ban, last_ban_time)
        SELECT ip, jail, ban_count, time_of_ban, ban_time FROM bans WHERE id > ?1 ORDER BY id
        ON CONFLICT(ip, jail) DO UPDATE SET
            ban_count = excluded.ban_count, last_time_of_ban = excluded.last_time_of_ban,
            last_ban_time = excluded.last_ban_time
        WHERE excluded.last_time_of_ban >= ban_history.last_time_of_ban
        """

    /// The highest history row id so far (0 for none).
    private func lastHistoryID() throws -> Int {
        let statement = try RawStatement(db, "SELECT max(id) FROM bans")
        defer { statement.finish() }
        return try statement.next() ? statement.int(0) : 0
    }

    /// Runs one of the set-based statements for the history rows after `lastID`.
    private func run(_ sql: String, after lastID: Int) throws {
        let statement = try RawStatement(db, sql)
        defer { statement.finish() }
        statement.bind(1, lastID)
        try statement.run()
    }

    /// Adds `ban` to the history only; its row id.
    func insertHistory(_ ban: StoredBan) throws -> Int64 {
        try addHistoryRow(ban)
        return db.lastInsertedRowID
    }

    private func addHistoryRow(_ ban: StoredBan) throws {
        var matches = ban.matches
        if let maxMatches, matches.count > maxMatches { matches = Array(matches.suffix(maxMatches)) }
        history.bind(1, ban.jail)
        history.bind(2, ban.ip)
        history.bind(3, ban.timeOfBan)
        history.bind(4, ban.banTime)
        history.bind(5, ban.banCount)
        history.bind(6, ban.failures)
        history.bind(7, JSONStrings.encode(matches))
        history.bind(8, ban.fields.flatMap { $0.isEmpty ? nil : JSONStrings.encode($0) })
        try history.run()
    }

    func finish() {
        history.finish()
    }

    /// Current bans in force at `now`, of `jail` or all, by jail and address: the primary key's order,
    /// so SQLite streams rows without sorting (five times faster than sorting 100,000 rows by time).
    static func currentBans(_ db: Database, jail: String?, now: Double) throws -> [StoredBan] {
        let statement = try RawStatement(db, """
            SELECT b.jail, b.ip, b.time_of_ban, b.ban_time, b.ban_count, b.failures, b.matches, b.fields
            FROM current_bans AS c JOIN bans AS b ON b.id = c.ban_id
            WHERE (c.end_time IS NULL OR c.end_time > ?1)\(jail == nil ? "" : " AND c.jail = ?2")
            ORDER BY c.jail, c.ip
            """)
        defer { statement.finish() }
        statement.bind(1, now)
        if let jail { statement.bind(2, jail) }
        var bans: [StoredBan] = []
        while try statement.next() {
            bans.append(StoredBan(
                jail: statement.string(0), ip: statement.string(1), timeOfBan: statement.double(2),
                banTime: statement.double(3), banCount: statement.int(4), failures: statement.int(5),
                matches: statement.withText(6, JSONStrings.matches),
                fields: statement.isNull(7) ? nil : statement.withText(7, JSONStrings.fields)))
        }
        return bans
    }
}
