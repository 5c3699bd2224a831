import GRDB

extension SQLiteBanStore {
    /// Takes over a fail2ban database (schema versions 1–4): its jails (disabled unless the store knows
    /// them), its ban history, its latest bans (current if still in force at `now`, else ban history
    /// only) and its log positions, in one transaction. Rows that cannot be read are skipped and
    /// counted. Importing the same file twice adds nothing the second time.
    ///
    /// - Parameter unknownBanTime: the length given to bans fail2ban recorded without one (its -2, or
    ///   schema 2); fail2ban itself uses the jail's `bantime`, 600 s by default.
    public static func importFail2banDatabase(from path: String, into store: SQLiteBanStore, now: Double,
                                              unknownBanTime: Double = 600) async throws(StoreError) -> ImportReport {
        let source = try Fail2banDatabase.read(path: path, unknownBanTime: unknownBanTime)
        return try await store.apply(source, from: path, now: now)
    }

    private func apply(_ source: Fail2banDatabase, from sourcePath: String, now: Double) async throws(StoreError) -> ImportReport {
        let maxMatches = maxMatches
        let initial = source.report
        for ban in source.history + source.latest {
            if let problem = BanRows.problem(with: ban) { throw invalid("import \(sourcePath)", problem) }
        }
        return try await write("import the fail2ban database \(sourcePath)") { db in
            var report = initial
            let jail = try db.cachedStatement(sql: "INSERT OR IGNORE INTO jails(name, enabled) VALUES (?, ?)")
            for entry in source.jails {
                try jail.execute(arguments: [entry.name, entry.enabled])
            }
            let rows = try ImportRows(db, maxMatches: maxMatches)
            defer { rows.finish() }
            for ban in source.history {
                if try rows.addHistory(ban) {
                    report.historyBans += 1
                } else {
                    report.duplicateHistoryBans += 1
                }
            }
            for ban in source.latest {
                let active = ban.isActive(at: now)
                try rows.recordLatest(ban, current: active)
                if active { report.currentBans += 1 } else { report.expiredBans += 1 }
            }
            let log = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO logs(jail, path, first_line_hash, position) VALUES (?, ?, ?, ?)
                """)
            for position in source.logs {
                try log.execute(arguments: [position.jail, position.path, position.firstLineHash,
                                            Int64(clamping: position.offset)])
                report.logPositions += db.changesCount
            }
            return report
        }
    }
}
