import GRDB

/// The import's row-by-row writes: unlike `addBans`, it must not duplicate a history row already in
/// the store (importing twice), nor replace a newer current ban or ban history with an older one.
struct ImportRows {
    private let rows: BanRows
    private let lookup: RawStatement
    private let current: RawStatement
    private let summary: RawStatement

    init(_ db: Database, maxMatches: Int?) throws {
        rows = try BanRows(db, maxMatches: maxMatches)
        lookup = try RawStatement(db, """
            SELECT id FROM bans WHERE ip = ?1 AND jail = ?2 AND time_of_ban = ?3 LIMIT 1
            """)
        current = try RawStatement(db, """
            INSERT INTO current_bans(jail, ip, ban_id, end_time) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT(jail, ip) DO UPDATE SET ban_id = excluded.ban_id, end_time = excluded.end_time
            WHERE (SELECT time_of_ban FROM bans WHERE id = excluded.ban_id)
                >= (SELECT time_of_ban FROM bans WHERE id = current_bans.ban_id)
            """)
        summary = try RawStatement(db, """
            INSERT INTO ban_history(ip, jail, ban_count, last_time_of_ban, last_ban_time) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT(ip, jail) DO UPDATE SET
                ban_count = excluded.ban_count, last_time_of_ban = excluded.last_time_of_ban,
                last_ban_time = excluded.last_ban_time
            WHERE excluded.last_time_of_ban >= ban_history.last_time_of_ban
            """)
    }

    /// Adds `ban` to the history unless the same ban (jail, address, time) is there; true if added.
    func addHistory(_ ban: StoredBan) throws -> Bool {
        if try historyID(of: ban) != nil { return false }
        _ = try rows.insertHistory(ban)
        return true
    }

    /// Records `ban` as the latest of its jail and address: in the ban history, and as the current
    /// ban when `current`. Its history row is added if missing (fail2ban may have purged it there).
    func recordLatest(_ ban: StoredBan, current isCurrent: Bool) throws {
        let id = try historyID(of: ban) ?? rows.insertHistory(ban)
        summary.bind(1, ban.ip)
        summary.bind(2, ban.jail)
        summary.bind(3, ban.banCount)
        summary.bind(4, ban.timeOfBan)
        summary.bind(5, ban.banTime)
        try summary.run()
        guard isCurrent else { return }
        current.bind(1, ban.jail)
        current.bind(2, ban.ip)
        current.bind(3, Int(id))
        current.bind(4, ban.endTime)
        try current.run()
    }

    func finish() {
        rows.finish()
        lookup.finish()
        current.finish()
        summary.finish()
    }

    private func historyID(of ban: StoredBan) throws -> Int64? {
        lookup.bind(1, ban.ip)
        lookup.bind(2, ban.jail)
        lookup.bind(3, ban.timeOfBan)
        guard try lookup.next() else { return nil }
        let id = Int64(lookup.int(0))
        lookup.finish()
        return id
    }
}
