import GRDB

extension SQLiteBanStore {
    public func addBan(_ ban: StoredBan) async throws(StoreError) {
        try await addBans([ban], operation: "add the ban of \(ban.ip) in jail '\(ban.jail)'")
    }

    public func addBans(_ bans: [StoredBan]) async throws(StoreError) {
        try await addBans(bans, operation: "add \(bans.count) bans")
    }

    private func addBans(_ bans: [StoredBan], operation: @autoclosure () -> String) async throws(StoreError) {
        if bans.isEmpty { return }
        for ban in bans {
            if let problem = BanRows.problem(with: ban) { throw invalid(operation(), problem) }
        }
        let maxMatches = maxMatches
        try await write(operation()) { db in
            let rows = try BanRows(db, maxMatches: maxMatches)
            defer { rows.finish() }
            try rows.insert(bans)
        }
    }

    public func removeBan(jail: String, ip: String) async throws(StoreError) {
        try await removeBans(jail: jail, ips: [ip], operation: "remove the ban of \(ip) in jail '\(jail)'")
    }

    public func removeBans(jail: String, ips: [String]) async throws(StoreError) {
        try await removeBans(jail: jail, ips: ips, operation: "remove \(ips.count) bans in jail '\(jail)'")
    }

    private func removeBans(jail: String, ips: [String], operation: @autoclosure () -> String) async throws(StoreError) {
        if ips.isEmpty { return }
        try await write(operation()) { db in
            // Cached: expiry runs it for every ban.
            let statement = try db.cachedStatement(sql: "DELETE FROM current_bans WHERE jail = ? AND ip = ?")
            for ip in ips { try statement.execute(arguments: [jail, ip]) }
        }
    }

    public func removeBans(jail: String?) async throws(StoreError) {
        try await write(jail.map { "remove the bans of jail '\($0)'" } ?? "remove the bans of every jail") { db in
            if let jail {
                try db.execute(sql: "DELETE FROM current_bans WHERE jail = ?", arguments: [jail])
            } else {
                try db.execute(sql: "DELETE FROM current_bans")
            }
        }
    }

    public func forgetBans(jail: String?, ip: String?) async throws(StoreError) {
        let operation = "forget the bans of \(ip ?? "every address") in \(jail.map { "jail '\($0)'" } ?? "every jail")"
        try await write(operation) { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let jail {
                conditions.append("jail = ?")
                arguments += [jail]
            }
            if let ip {
                conditions.append("ip = ?")
                arguments += [ip]
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            for table in ["current_bans", "bans", "ban_history"] {
                try db.execute(sql: "DELETE FROM \(table)\(filter)", arguments: arguments)
            }
        }
    }

    public func currentBans(jail: String?, now: Double) async throws(StoreError) -> [StoredBan] {
        try await read(jail.map { "read the current bans of jail '\($0)'" } ?? "read the current bans") { db in
            try BanRows.currentBans(db, jail: jail, now: now)
        }
    }
}
