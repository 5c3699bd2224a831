import GRDB

extension SQLiteBanStore {
    /// How many ban lengths past its end a non-permanent ban still counts for `bantime.increment`
    /// after `olderThan` (fail2ban keeps its `bips` rows the same way).
    static let historyLengthFactor = 3.0

    public func purge(olderThan cutoff: Double) async throws(StoreError) -> Int {
        let factor = Self.historyLengthFactor
        return try await write("purge what is older than \(cutoff)") { db in
            try db.execute(sql: "DELETE FROM current_bans WHERE end_time < ?", arguments: [cutoff])
            // A ban still current (permanent, or long) keeps its history row: it holds its matches.
            try db.execute(sql: """
                DELETE FROM bans WHERE time_of_ban < ? AND id NOT IN (SELECT ban_id FROM current_bans)
                """, arguments: [cutoff])
            let removed = db.changesCount
            try db.execute(sql: """
                DELETE FROM ban_history
                WHERE last_time_of_ban < ?1 AND last_ban_time >= 0 AND last_time_of_ban + last_ban_time * ?2 < ?1
                """, arguments: [cutoff, factor])
            let forgotten = try String.fetchAll(db, sql: """
                SELECT name FROM jails WHERE enabled = 0
                    AND NOT EXISTS (SELECT 1 FROM current_bans WHERE jail = jails.name)
                    AND NOT EXISTS (SELECT 1 FROM ban_history WHERE jail = jails.name)
                    AND NOT EXISTS (SELECT 1 FROM bans WHERE jail = jails.name)
                """)
            for jail in forgotten {
                try db.execute(sql: "DELETE FROM jails WHERE name = ?", arguments: [jail])
                try db.execute(sql: "DELETE FROM logs WHERE jail = ?", arguments: [jail])
            }
            return removed
        }
    }
}
