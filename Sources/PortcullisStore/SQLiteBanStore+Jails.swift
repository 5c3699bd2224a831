import GRDB

extension SQLiteBanStore {
    public func addJail(_ name: String) async throws(StoreError) {
        try await setJailEnabled(name, true)
    }

    public func setJailEnabled(_ name: String, _ enabled: Bool) async throws(StoreError) {
        let operation = "\(enabled ? "enable" : "disable") jail '\(name)'"
        guard !name.isEmpty else { throw invalid(operation, "the jail name is empty") }
        try await write(operation) { db in
            try db.execute(sql: """
                INSERT INTO jails(name, enabled) VALUES (?, ?)
                ON CONFLICT(name) DO UPDATE SET enabled = excluded.enabled
                """, arguments: [name, enabled])
        }
    }

    public func jailNames(enabled: Bool? = nil) async throws(StoreError) -> [String] {
        try await read("list jails") { db in
            if let enabled {
                return try String.fetchAll(db, sql: "SELECT name FROM jails WHERE enabled = ? ORDER BY name",
                                           arguments: [enabled])
            }
            return try String.fetchAll(db, sql: "SELECT name FROM jails ORDER BY name")
        }
    }
}
