import GRDB

/// The store's tables, created and upgraded by GRDB's `DatabaseMigrator` (its `grdb_migrations` table
/// records the applied versions). Later versions append migrations; a file migrated by a newer
/// Portcullis is refused rather than misread.
///
/// - `jails`: name, enabled.
/// - `bans`: the history, one row per ban ever added (until purged), with its matches and fields.
///   Indexed by address, jail and time for merged matches and the import's duplicate check; purging
///   by time scans it (hourly), which is cheaper than a second index on every insert.
/// - `current_bans`: the ban in force per jail and address, pointing at its `bans` row (so matches are
///   stored once). Keyed by jail and address; `end_time` (NULL for a permanent ban) is indexed for
///   expiry, so purging (and SQLite, when it judges that most rows are over) finds ended bans directly.
/// - `ban_history`: the latest ban count and time per address and jail, for `bantime.increment`.
/// - `logs`: per jail and file, the first line's hash and the offset reached.
///
/// `matches` and `fields` are JSON text (see `JSONStrings`).
enum StoreSchema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE jails (
                    name TEXT NOT NULL PRIMARY KEY,
                    enabled INTEGER NOT NULL DEFAULT 1
                ) WITHOUT ROWID;

                CREATE TABLE bans (
                    id INTEGER PRIMARY KEY,
                    jail TEXT NOT NULL,
                    ip TEXT NOT NULL,
                    time_of_ban REAL NOT NULL,
                    ban_time REAL NOT NULL,
                    ban_count INTEGER NOT NULL,
                    failures INTEGER NOT NULL,
                    matches TEXT NOT NULL,
                    fields TEXT
                );
                CREATE INDEX bans_ip_jail_time ON bans(ip, jail, time_of_ban);

                CREATE TABLE current_bans (
                    jail TEXT NOT NULL,
                    ip TEXT NOT NULL,
                    ban_id INTEGER NOT NULL,
                    end_time REAL,
                    PRIMARY KEY (jail, ip)
                ) WITHOUT ROWID;
                CREATE INDEX current_bans_end_time ON current_bans(end_time);

                CREATE TABLE ban_history (
                    ip TEXT NOT NULL,
                    jail TEXT NOT NULL,
                    ban_count INTEGER NOT NULL,
                    last_time_of_ban REAL NOT NULL,
                    last_ban_time REAL NOT NULL,
                    PRIMARY KEY (ip, jail)
                ) WITHOUT ROWID;

                CREATE TABLE logs (
                    jail TEXT NOT NULL,
                    path TEXT NOT NULL,
                    first_line_hash TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (jail, path)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }()

    /// Creates or upgrades the schema of `writer`'s database.
    static func prepare(_ writer: any DatabaseWriter, path: String) throws(StoreError) {
        let isFail2ban: Bool
        let superseded: Bool
        do {
            (isFail2ban, superseded) = try writer.read { db in
                (try db.tableExists("fail2banDb") && !db.tableExists("grdb_migrations"),
                 try migrator.hasBeenSuperseded(db))
            }
        } catch {
            throw StoreError(error, kind: .open, path: path, operation: "open the database")
        }
        if isFail2ban {
            throw StoreError(kind: .fail2banDatabase, path: path, operation: "open the database",
                             message: "this is a fail2ban database, not a Portcullis ban store")
        }
        if superseded {
            throw StoreError(kind: .schema, path: path, operation: "open the database",
                             message: "the schema was written by a newer Portcullis (unknown migrations in grdb_migrations)")
        }
        do {
            try migrator.migrate(writer)
        } catch {
            throw StoreError(error, kind: .schema, path: path, operation: "create or migrate the schema")
        }
    }
}
