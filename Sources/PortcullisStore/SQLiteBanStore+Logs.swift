import GRDB

extension SQLiteBanStore {
    public func logPosition(jail: String, path: String) async throws(StoreError) -> StoredLogPosition? {
        try await read("read the position of \(path) in jail '\(jail)'") { db in
            try Row.fetchOne(db, sql: "SELECT first_line_hash, position FROM logs WHERE jail = ? AND path = ?",
                             arguments: [jail, path])
                .map { row in
                    let position: Int64 = row[1]
                    return StoredLogPosition(jail: jail, path: path, firstLineHash: row[0],
                                             offset: UInt64(clamping: position))
                }
        }
    }

    public func setLogPositions(_ positions: [StoredLogPosition]) async throws(StoreError) {
        if positions.isEmpty { return }
        let operation = "record \(positions.count) log positions"
        if positions.contains(where: { $0.jail.isEmpty || $0.path.isEmpty }) {
            throw invalid(operation, "a log position has an empty jail name or path")
        }
        try await write(operation) { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO logs(jail, path, first_line_hash, position) VALUES (?, ?, ?, ?)
                ON CONFLICT(jail, path) DO UPDATE SET
                    first_line_hash = excluded.first_line_hash, position = excluded.position
                """)
            for position in positions {
                try statement.execute(arguments: [position.jail, position.path, position.firstLineHash,
                                                  Int64(clamping: position.offset)])
            }
        }
    }
}
