import GRDB

/// A fail2ban database (`/var/lib/fail2ban/fail2ban.sqlite3`) read whole and checked row by row, for
/// the import. Opened read-only, so a running fail2ban is not disturbed. The tables are recognised
/// by their columns rather than by `fail2banDb.version` alone:
/// - `bans(jail, ip, timeofban, data)` in schema 1–2, plus `bantime` and `bancount` from schema 3;
/// - `bips`, the latest ban per address and jail, from schema 4; before it, the latest `bans` row;
/// - `jails(name, enabled)`, `logs(jail, path, firstlinemd5, lastfilepos)`.
struct Fail2banDatabase: Sendable {
    var jails: [Jail] = []
    /// Every row of `bans`.
    var history: [StoredBan] = []
    /// The latest ban per jail and address.
    var latest: [StoredBan] = []
    var logs: [StoredLogPosition] = []
    var report = ImportReport()

    struct Jail: Sendable {
        var name: String
        var enabled: Bool
    }

    static func read(path: String, unknownBanTime: Double) throws(StoreError) -> Fail2banDatabase {
        let operation = "read the fail2ban database"
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                guard try db.tableExists("fail2banDb") else {
                    throw StoreError(kind: .notFail2banDatabase, path: path, operation: operation,
                                     message: "no fail2banDb table: not a fail2ban database")
                }
                var source = Fail2banDatabase()
                source.report.schemaVersion = try Int.fetchOne(db, sql: "SELECT version FROM fail2banDb LIMIT 1") ?? 0
                try source.readJails(db)
                try source.readBans(db, unknownBanTime: unknownBanTime)
                try source.readLogs(db)
                return source
            }
        } catch {
            throw StoreError(error, kind: .query, path: path, operation: operation)
        }
    }

    private mutating func readJails(_ db: Database) throws {
        guard try db.tableExists("jails") else { return }
        let cursor = try Row.fetchCursor(db, sql: "SELECT rowid, name, enabled FROM jails")
        while let row = try cursor.next() {
            guard let name = Self.text(row[1]) else {
                report.skip("jails", row[0], "no jail name")
                continue
            }
            let enabled = Self.number(row[2]).map { $0 != 0 } ?? true
            jails.append(Jail(name: name, enabled: enabled))
        }
        report.jails = jails.count
    }

    private mutating func readBans(_ db: Database, unknownBanTime: Double) throws {
        if try db.tableExists("bans") {
            let columns = Set(try db.columns(in: "bans").map { $0.name.lowercased() })
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT rowid, jail, ip, timeofban, \(columns.contains("bantime") ? "bantime" : "NULL"),
                    \(columns.contains("bancount") ? "bancount" : "NULL"), \(columns.contains("data") ? "data" : "NULL")
                FROM bans
                """)
            while let row = try cursor.next() {
                if let ban = ban(row, table: "bans", unknownBanTime: unknownBanTime) { history.append(ban) }
            }
        }
        if try db.tableExists("bips") {
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT rowid, jail, ip, timeofban, bantime, bancount, data FROM bips
                """)
            while let row = try cursor.next() {
                if let ban = ban(row, table: "bips", unknownBanTime: unknownBanTime) { latest.append(ban) }
            }
        } else {
            var newest: [String: StoredBan] = [:]
            for ban in history {
                let key = ban.jail + "\u{0}" + ban.ip
                if let known = newest[key], known.timeOfBan > ban.timeOfBan { continue }
                newest[key] = ban
            }
            latest = newest.values.sorted { ($0.timeOfBan, $0.jail, $0.ip) < ($1.timeOfBan, $1.jail, $1.ip) }
        }
    }

    /// One `bans` or `bips` row: rowid, jail, ip, timeofban, bantime, bancount, data.
    private mutating func ban(_ row: Row, table: String, unknownBanTime: Double) -> StoredBan? {
        let rowID: Int64? = row[0]
        guard let jail = Self.text(row[1]) else { report.skip(table, rowID, "no jail name"); return nil }
        guard let ip = Self.text(row[2]) else { report.skip(table, rowID, "no address"); return nil }
        guard let timeOfBan = Self.number(row[3]) else {
            report.skip(table, rowID, "time of ban \(Self.shown(row[3])) is not a number")
            return nil
        }
        var banTime: Double
        let banTimeValue: DatabaseValue = row[4]
        if banTimeValue.isNull {
            banTime = -2
        } else if let number = Self.number(banTimeValue) {
            banTime = number
        } else {
            report.skip(table, rowID, "ban time \(Self.shown(banTimeValue)) is not a number")
            return nil
        }
        if banTime == -2 {
            // fail2ban's "unknown" (its schema 3 upgrade wrote it); schema 2 kept no ban times at all.
            banTime = unknownBanTime
            report.unknownBanTimes += 1
        } else if banTime < 0, banTime != -1 {
            report.skip(table, rowID, "ban time \(banTime) is neither a length nor -1 (permanent)")
            return nil
        }
        var banCount = 1
        let banCountValue: DatabaseValue = row[5]
        if !banCountValue.isNull {
            guard let number = Self.number(banCountValue), number >= 0, number < Double(Int32.max) else {
                report.skip(table, rowID, "ban count \(Self.shown(banCountValue)) is not a count")
                return nil
            }
            banCount = Int(number)
        }
        var data = Fail2banJSON.TicketData()
        if let parsed = Fail2banJSON.ticketData(row[6]) {
            data = parsed
        } else {
            report.unreadableData += 1
        }
        return StoredBan(jail: jail, ip: ip, timeOfBan: timeOfBan, banTime: banTime, banCount: banCount,
                         failures: data.failures, matches: data.matches, fields: data.fields)
    }

    private mutating func readLogs(_ db: Database) throws {
        guard try db.tableExists("logs") else { return }
        let cursor = try Row.fetchCursor(db, sql: "SELECT rowid, jail, path, firstlinemd5, lastfilepos FROM logs")
        while let row = try cursor.next() {
            let rowID: Int64? = row[0]
            guard let jail = Self.text(row[1]) else { report.skip("logs", rowID, "no jail name"); continue }
            guard let path = Self.text(row[2]) else { report.skip("logs", rowID, "no path"); continue }
            let positionValue: DatabaseValue = row[4]
            var position = 0.0
            if !positionValue.isNull {
                guard let number = Self.number(positionValue), number >= 0 else {
                    report.skip("logs", rowID, "position \(Self.shown(positionValue)) is not an offset")
                    continue
                }
                position = number
            }
            logs.append(StoredLogPosition(jail: jail, path: path, firstLineHash: Self.text(row[3]) ?? "",
                                          offset: UInt64(min(position, Double(Int64.max)))))
        }
    }

    /// Non-empty text (a blob is read as UTF-8).
    private static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .string(let text): return text.isEmpty ? nil : text
        case .blob(let data): return data.isEmpty ? nil : String(decoding: data, as: UTF8.self)
        case .null, .int64, .double: return nil
        }
    }

    /// A finite number (numeric text included).
    private static func number(_ value: DatabaseValue) -> Double? {
        switch value.storage {
        case .int64(let integer): return Double(integer)
        case .double(let double): return double.isFinite ? double : nil
        case .string(let text): return Double(text.trimmingCharacters(in: .whitespaces)).flatMap { $0.isFinite ? $0 : nil }
        case .null, .blob: return nil
        }
    }

    private static func shown(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return "NULL"
        case .blob(let data): return "a \(data.count)-byte blob"
        case .string(let text): return "'\(text.prefix(40))'"
        case .int64, .double: return value.description
        }
    }
}
