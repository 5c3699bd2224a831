import GRDB

extension SQLiteBanStore {
    public func banHistory(ip: String, jail: String?) async throws(StoreError) -> BanHistory? {
        try await read("read the ban history of \(ip)") { db in
            let row: Row?
            if let jail {
                row = try Row.fetchOne(db, sql: """
                    SELECT ban_count, last_time_of_ban, last_ban_time FROM ban_history WHERE ip = ? AND jail = ?
                    """, arguments: [ip, jail])
            } else {
                // SQLite takes the bare column `last_ban_time` from the row holding max(last_time_of_ban).
                row = try Row.fetchOne(db, sql: """
                    SELECT sum(ban_count), max(last_time_of_ban), last_ban_time FROM ban_history
                    WHERE ip = ? GROUP BY ip
                    """, arguments: [ip])
            }
            return row.map { BanHistory(banCount: $0[0], lastTimeOfBan: $0[1], lastBanTime: $0[2]) }
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
                histories[statement.string(0)] = BanHistory(
                    banCount: statement.int(1), lastTimeOfBan: statement.double(2), lastBanTime: statement.double(3))
            }
            return histories
        }
    }

    public func mergedBans(ip: String, jail: String?) async throws(StoreError) -> MergedBans? {
        let maxMatches = maxMatches
        return try await read("merge the bans of \(ip)") { db in
            var sql = "SELECT time_of_ban, failures, matches FROM bans WHERE ip = ?"
            var arguments: StatementArguments = [ip]
            if let jail {
                sql += " AND jail = ?"
                arguments += [jail]
            }
            sql += " ORDER BY time_of_ban DESC, id DESC"
            var merged: MergedBans?
            // Newest first, so the newest matches are kept when there is a limit.
            var newestFirst: [[String]] = []
            var kept = 0
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                let time: Double = row[0]
                let failures: Int = row[1]
                if merged == nil {
                    merged = MergedBans(ip: ip, bans: 0, failures: 0, matches: [], firstTimeOfBan: time, lastTimeOfBan: time)
                }
                merged!.bans += 1
                merged!.failures += failures
                merged!.firstTimeOfBan = time
                if maxMatches.map({ kept < $0 }) ?? true {
                    var matches = JSONStrings.matches(row[2] as String)
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
