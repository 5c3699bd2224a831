import GRDB

/// The ban store in one SQLite file (fail2ban's `dbfile`), through GRDB.
///
/// Files open as a `DatabasePool` in WAL mode: writes are serialized, and reads (a restore, an export)
/// run beside them. ":memory:" opens a private in-memory database (no WAL, nothing kept).
///
/// Durability: every mutating call returns after its transaction committed. In WAL mode a commit is
/// in the WAL file (in the kernel's page cache at least) before it returns, so a killed process
/// (`kill -9`, a crash) loses nothing that returned. `Durability.processCrash` (the default,
/// `synchronous=NORMAL`) may lose the last commits on a power loss or kernel crash, which also clears
/// the firewall, so store and firewall stay consistent; `Durability.powerLoss` (`synchronous=FULL`)
/// syncs the WAL on every commit, at a few milliseconds a ban on slow disks.
public actor SQLiteBanStore: BanStore {
    /// What a returned write survives.
    public enum Durability: Sendable {
        /// A killed or crashed process (WAL, `synchronous=NORMAL`).
        case processCrash
        /// Also a power loss or kernel crash (WAL, `synchronous=FULL`).
        case powerLoss
    }

    /// The database file, as given.
    public nonisolated let path: String
    /// fail2ban's `dbmaxmatches`: at most this many (the newest) matches are kept per ban; nil keeps all,
    /// 0 keeps none.
    public nonisolated let maxMatches: Int?

    let writer: any DatabaseWriter
    private var isClosed = false

    /// Opens (creating if needed) the store at `path` and creates or migrates its schema.
    public init(path: String, maxMatches: Int? = nil, durability: Durability = .processCrash) throws(StoreError) {
        self.path = path
        self.maxMatches = maxMatches.map { max(0, $0) }
        var configuration = Configuration()
        configuration.label = "PortcullisStore"
        // Another process (the sqlite3 shell, a second daemon by mistake) may hold a lock briefly.
        configuration.busyMode = .timeout(5)
        // Reads are few (a restore, an export) and the actor serializes most calls.
        configuration.maximumReaderCount = 2
        configuration.prepareDatabase { db in
            if !db.configuration.readonly {
                // A large batch touches pages all over the indexes: the writer keeps them in memory
                // (up to 64 MiB, used only as the file grows) instead of re-reading them from the OS.
                try db.execute(sql: "PRAGMA cache_size = -65536")
            }
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        do {
            if path == ":memory:" {
                writer = try DatabaseQueue(configuration: configuration)
            } else {
                writer = try DatabasePool(path: path, configuration: configuration)
            }
        } catch {
            throw StoreError(error, kind: .open, path: path, operation: "open the database")
        }
        try StoreSchema.prepare(writer, path: path)
        if durability == .powerLoss {
            // Set on the open writer: GRDB sets synchronous=NORMAL when it turns WAL on, after
            // `prepareDatabase`, so a setting made there does not last (and readers never sync).
            do {
                try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            } catch {
                throw StoreError(error, kind: .open, path: path, operation: "set synchronous=FULL")
            }
        }
    }

    /// Closes the database (waiting for a write under way) after copying the WAL into the database
    /// file, so the file alone holds everything; later calls fail with `StoreError.Kind.closed`.
    /// Releasing the store also closes it, without that copy (SQLite recovers the WAL on next open).
    public func close() throws(StoreError) {
        guard !isClosed else { return }
        isClosed = true
        do {
            // Best effort: a reader elsewhere may hold the WAL; nothing is lost if it does.
            _ = try? writer.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            try writer.close()
        } catch {
            throw StoreError(error, kind: .query, path: path, operation: "close the database")
        }
    }

    /// Runs `updates` in one transaction, committed on return.
    func write<T: Sendable>(_ operation: @autoclosure () -> String,
                            _ updates: @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        guard !isClosed else { throw closedError(operation()) }
        do {
            return try await writer.write(updates)
        } catch {
            throw StoreError(error, kind: .query, path: path, operation: operation())
        }
    }

    /// Runs `value` in a read transaction (a consistent snapshot).
    func read<T: Sendable>(_ operation: @autoclosure () -> String,
                           _ value: @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        guard !isClosed else { throw closedError(operation()) }
        do {
            return try await writer.read(value)
        } catch {
            throw StoreError(error, kind: .query, path: path, operation: operation())
        }
    }

    private func closedError(_ operation: String) -> StoreError {
        StoreError(kind: .closed, path: path, operation: operation, message: "the store was closed")
    }

    func invalid(_ operation: String, _ message: String) -> StoreError {
        StoreError(kind: .invalidArgument, path: path, operation: operation, message: message)
    }
}
