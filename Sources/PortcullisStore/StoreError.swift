import GRDB

/// Why a ban-store call failed, with what an administrator needs to act on it: the database file, what
/// the store was doing, and SQLite's own message. `description` is meant to be logged as is.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The broad cause, for callers that react differently (e.g. move a damaged file aside).
    public enum Kind: Sendable, Equatable {
        /// The file could not be opened or created (missing folder, permissions).
        case open
        /// The file is not a SQLite database, or it is damaged.
        case corrupt
        /// The schema could not be created or migrated, or a newer Portcullis wrote it.
        case schema
        /// The file is a fail2ban database, not a Portcullis store (import it instead).
        case fail2banDatabase
        /// An import source is not a fail2ban database.
        case notFail2banDatabase
        /// A read or write failed.
        case query
        /// A ban or position the store refuses (empty jail or address, non-finite time).
        case invalidArgument
        /// The store was closed.
        case closed
        /// The calling task was cancelled before the operation ran; nothing was written.
        case cancelled
    }

    public var kind: Kind
    /// The database file (":memory:" for an in-memory store).
    public var path: String
    /// What the store was doing, e.g. "add 3 bans".
    public var operation: String
    /// SQLite's message, or the reason the store gives.
    public var message: String
    /// SQLite's extended result code, when SQLite reported the failure.
    public var sqliteCode: Int32?

    public init(kind: Kind, path: String, operation: String, message: String, sqliteCode: Int32? = nil) {
        self.kind = kind
        self.path = path
        self.operation = operation
        self.message = message
        self.sqliteCode = sqliteCode
    }

    public var description: String {
        var text = "ban store '\(path)': \(operation) failed: \(message)"
        if let sqliteCode { text += " (SQLite code \(sqliteCode))" }
        switch kind {
        case .corrupt:
            text += "; the file is not a usable SQLite database: move it aside to start with an empty store"
        case .open:
            text += "; check that the folder exists and is writable by the daemon"
        case .fail2banDatabase:
            text += "; point dbfile at a new file and import this one"
        case .schema, .notFail2banDatabase, .query, .invalidArgument, .closed, .cancelled:
            break
        }
        return text
    }

    /// Wraps any error thrown by GRDB or SQLite; `kind` applies unless the SQLite code says more.
    init(_ error: any Error, kind: Kind, path: String, operation: String) {
        if let error = error as? StoreError {
            self = error
            return
        }
        if error is CancellationError {
            self.init(kind: .cancelled, path: path, operation: operation, message: "the task was cancelled")
            return
        }
        guard let databaseError = error as? DatabaseError else {
            self.init(kind: kind, path: path, operation: operation, message: String(describing: error))
            return
        }
        var resolved = kind
        switch databaseError.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: resolved = .corrupt
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH: resolved = .open
        default: break
        }
        self.init(kind: resolved, path: path, operation: operation,
                  message: databaseError.message ?? "\(databaseError.resultCode)",
                  sqliteCode: databaseError.extendedResultCode.rawValue)
    }
}
