import GRDB

extension SQLiteBanStore {
    public func banHistory(ip: String, jail: String?) async throws(StoreError) -> BanHistory? {
        try await read("read the ban history of \(ip)") { db in
            // SQLite takes the bare column `last_ban_time` from the row holding max(last_time_of_ban).
            let statement = try RawStatement(db, jail == nil ? """
                SELECT ip, sum(ban_count), max(last_time_of_ban), last_ban_time FROM ban_history
                WHERE ip = ?1 GROUP BY ip
                """ : """
                SELECT ip, ban_count, last_time_of_ban, last_ban_time FROM ban_history WHERE ip = ?1 AND jail = ?2
                """)
            defer { statement.finish() }
            statement.bind(1, ip)
            if let jail { statement.bind(2, jail) }
            return try statement.next() ? BanHistory(statement) : nil
        }
    }

    public func banHistories(jail: String?) async throws(StoreError) -> [String: BanHistory] {
        try await read("read the ban histories") { db in
            let statement = try RawStatement(db, jail == nil ? """
                SELECT ip, sum(ban_count), max(last_time_of_ban), last_ban_time FROM ban_history GROUP BY ip
                """ : """
                SELECT ip, ban_count, last_time_of_ban, last_ban_time FROM ban_history WHERE jail = ?1
                """)
            defer { statement.finish() }
            if let jail { statement.bind(1, jail) }
            var histories: [String: BanHistory] = [:]
            while try statement.next() {
                histories[statement.string(0)] = BanHistory(statement)
            }
            return histories
        }
    }

    public func mergedBans(ip: String, jail: String?) async throws(StoreError) -> MergedBans? {
        let maxMatches = maxMatches
        return try await read("merge the bans of \(ip)") { db in
            let statement = try RawStatement(db, """
                SELECT time_of_ban, failures, matches FROM bans WHERE ip = ?1\(jail == nil ? "" : " AND jail = ?2")
                ORDER BY time_of_ban DESC, id DESC
                """)
            defer { statement.finish() }
            statement.bind(1, ip)
            if let jail { statement.bind(2, jail) }
            var merged: MergedBans?
            // Newest first, so the newest matches are kept when there is a limit.
            var newestFirst: [[String]] = []
            var kept = 0
            while try statement.next() {
                let time = statement.double(0)
                let failures = statement.int(1)
                if merged == nil {
                    merged = MergedBans(ip: ip, bans: 0, failures: 0, matches: [], firstTimeOfBan: time, lastTimeOfBan: time)
                }
                merged!.bans += 1
                merged!.failures += failures
                merged!.firstTimeOfBan = time
                if maxMatches.map({ kept < $0 }) ?? true {
                    var matches = statement.withText(2, JSONStrings.matches)
                    if let maxMatches, matches.count > maxMatches - kept {
                        matches = Array(matches.suffix(maxMatches - kept))
                    }
                    kept += matches.count
                    newestFirst.append(matches)
                }
            }
            merged?.matches = newestFirst.reversed().flatMap { $0 }
            return merged
        }
    }
}

extension BanHistory {
    /// The current row of a ban-history query: `ip, ban_count, last_time_of_ban, last_ban_time`.
    init(_ row: RawStatement) {
        self.init(banCount: row.int(1), lastTimeOfBan: row.double(2), lastBanTime: row.double(3))
    }
}
