import Foundation
import GRDB
import PortcullisTestSupport

/// fail2ban databases for the import tests, written with plain SQL in the layout fail2ban's
/// `server/database.py` uses for its schema versions 2, 3 and 4 (the DDL below restates that layout).
enum Fail2banFixture {
    enum Schema: Int, CaseIterable, Sendable {
        case v2 = 2, v3 = 3, v4 = 4
    }

    /// One ban as fail2ban would have written it; `latest` rows also go to `bips` (schema 4).
    struct Ban {
        var jail: String?
        var ip: String?
        var timeOfBan: (any DatabaseValueConvertible)?
        var banTime: (any DatabaseValueConvertible)?
        var banCount: Int = 1
        var data: DatabaseValue = .null
        var inBans = true
        var inBips = true
    }

    static func json(_ text: String) -> DatabaseValue { text.databaseValue }
    static func blob(_ text: String) -> DatabaseValue { Data(text.utf8).databaseValue }

    /// The sample the import tests check, relative to `now`.
    static func sampleRows(now: Double) -> [Ban] {
        [
            Ban(jail: "sshd", ip: "192.0.2.1", timeOfBan: now - 5_000, banTime: 600, banCount: 1,
                data: json(#"{"matches": ["old line"], "failures": 3}"#), inBips: false),
            Ban(jail: "sshd", ip: "192.0.2.1", timeOfBan: now - 100, banTime: 1_200, banCount: 2,
                data: json(#"{"matches": ["new line 1", "new line 2"], "failures": 2}"#)),
            Ban(jail: "sshd", ip: "192.0.2.2", timeOfBan: now - 100_000, banTime: -1, banCount: 1,
                data: json(#"{"matches": [], "failures": 5}"#)),
            Ban(jail: "nginx", ip: "192.0.2.3", timeOfBan: now - 1_000, banTime: 600),
            Ban(jail: "nginx", ip: "192.0.2.4", timeOfBan: now - 10, banTime: 600,
                data: blob(#"{"matches": ["GET /wp-login.php \u00fc 日本"], "failures": 1, "user": "admin", "port": 8080}"#)),
            // Unusable: no address (history only) / a time that is not a number (bips only).
            Ban(jail: "sshd", ip: nil, timeOfBan: now - 10, banTime: 600, inBips: false),
            Ban(jail: "sshd", ip: "192.0.2.9", timeOfBan: "garbage", banTime: 600, inBans: false),
            // Data that is not JSON: imported without matches.
            Ban(jail: "sshd", ip: "192.0.2.5", timeOfBan: now - 50, banTime: 600, data: json("{broken")),
            // fail2ban's "unknown ban time", left by its own schema-3 upgrade.
            Ban(jail: "sshd", ip: "192.0.2.6", timeOfBan: now - 60, banTime: -2),
        ]
    }

    static func create(at path: String, schema: Schema, rows: [Ban]) throws {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE fail2banDb(version INTEGER);
                CREATE TABLE jails(name TEXT NOT NULL UNIQUE, enabled INTEGER NOT NULL DEFAULT 1);
                CREATE TABLE logs(jail TEXT NOT NULL, path TEXT, firstlinemd5 TEXT, lastfilepos INTEGER DEFAULT 0,
                    FOREIGN KEY(jail) REFERENCES jails(name) ON DELETE CASCADE,
                    UNIQUE(jail, path), UNIQUE(jail, path, firstlinemd5));
                """)
            switch schema {
            case .v2:
                try db.execute(sql: """
                    CREATE TABLE bans(jail TEXT NOT NULL, ip TEXT, timeofban INTEGER NOT NULL, data JSON,
                        FOREIGN KEY(jail) REFERENCES jails(name));
                    """)
            case .v3, .v4:
                try db.execute(sql: """
                    CREATE TABLE bans(jail TEXT NOT NULL, ip TEXT, timeofban INTEGER NOT NULL, bantime INTEGER NOT NULL,
                        bancount INTEGER NOT NULL default 1, data JSON, FOREIGN KEY(jail) REFERENCES jails(name));
                    """)
            }
            if schema == .v4 {
                try db.execute(sql: """
                    CREATE TABLE bips(ip TEXT NOT NULL, jail TEXT NOT NULL, timeofban INTEGER NOT NULL,
                        bantime INTEGER NOT NULL, bancount INTEGER NOT NULL default 1, data JSON,
                        PRIMARY KEY(ip, jail), FOREIGN KEY(jail) REFERENCES jails(name));
                    """)
            }
            try db.execute(sql: "INSERT INTO fail2banDb(version) VALUES (?)", arguments: [schema.rawValue])
            try db.execute(sql: "INSERT INTO jails(name, enabled) VALUES ('sshd', 1), ('nginx', 0)")
            try db.execute(sql: """
                INSERT INTO logs(jail, path, firstlinemd5, lastfilepos) VALUES
                    ('sshd', '/var/log/auth.log', 'd41d8cd98f00b204e9800998ecf8427e', 1234),
                    ('nginx', '/var/log/nginx/access.log', NULL, NULL)
                """)
            for row in rows {
                if row.inBans {
                    if schema == .v2 {
                        try db.execute(sql: "INSERT INTO bans(jail, ip, timeofban, data) VALUES (?, ?, ?, ?)",
                                       arguments: [row.jail, row.ip, row.timeOfBan, row.data])
                    } else {
                        try db.execute(sql: """
                            INSERT INTO bans(jail, ip, timeofban, bantime, bancount, data) VALUES (?, ?, ?, ?, ?, ?)
                            """, arguments: [row.jail, row.ip, row.timeOfBan, row.banTime, row.banCount, row.data])
                    }
                }
                if row.inBips, schema == .v4 {
                    try db.execute(sql: """
                        INSERT OR REPLACE INTO bips(ip, jail, timeofban, bantime, bancount, data) VALUES (?, ?, ?, ?, ?, ?)
                        """, arguments: [row.ip, row.jail, row.timeOfBan, row.banTime, row.banCount, row.data])
                }
            }
        }
    }
}

/// fail2ban's own Python code, when it can be found: the installed package, else Debian's package
/// unpacked by `DebianFail2ban` (needs `python3`, and apt for the download).
enum Fail2banPython {
    static let libraryPath: String? = {
        guard hasProgram("python3") else { return nil }
        let system = "/usr/lib/python3/dist-packages"
        if FileManager.default.fileExists(atPath: system + "/fail2ban/server/database.py") { return system }
        guard let root = try? DebianFail2ban.root() else { return nil }
        let unpacked = root.appendingPathComponent("usr/lib/python3/dist-packages").path
        return FileManager.default.fileExists(atPath: unpacked + "/fail2ban/server/database.py") ? unpacked : nil
    }()

    /// Runs `script` with fail2ban importable; its standard output.
    static func run(_ script: String, _ arguments: [String]) throws -> String {
        guard let libraryPath else { throw Unavailable() }
        let result = try Command.run(["python3", "-c", script] + arguments, environment: ["PYTHONPATH": libraryPath])
        guard result.status == 0 else { throw Failed(output: result.description) }
        return result.stdout
    }

    struct Unavailable: Error {}
    struct Failed: Error, CustomStringConvertible {
        var output: String
        var description: String { "python3 failed: \(output)" }
    }

    /// Writes a database with fail2ban's `Fail2BanDb`: argv = path, now.
    static let writeScript = """
        import sys
        from fail2ban.server.database import Fail2BanDb
        from fail2ban.server.ticket import FailTicket

        class Actions:
            def getBanTime(self): return 600

        class Jail:
            def __init__(self, name):
                self.name = name
                self.actions = Actions()

        class Log:
            def __init__(self, name, pos, md5): self.name, self.pos, self.md5 = name, pos, md5
            def getFileName(self): return self.name
            def getPos(self): return self.pos
            def getHash(self): return self.md5

        path, now = sys.argv[1], float(sys.argv[2])
        db = Fail2BanDb(path)
        sshd, nginx = Jail('sshd'), Jail('nginx')
        db.addJail(sshd)
        db.addJail(nginx)

        def ban(jail, ip, time, bantime, count, matches, failures, **data):
            ticket = FailTicket(ip, time, matches, data=data)
            ticket.setBanTime(bantime)
            ticket.setBanCount(count)
            ticket.setAttempt(failures)
            db.addBan(jail, ticket)

        ban(sshd, '192.0.2.1', now - 5000, 600, 1, ['old line'], 3)
        ban(sshd, '192.0.2.1', now - 100, 1200, 2, ['new line 1', 'new line 2'], 2)
        ban(sshd, '192.0.2.2', now - 100000, -1, 1, [], 5)
        ban(nginx, '192.0.2.3', now - 1000, 600, 1, ['expired'], 1)
        ban(nginx, '192.0.2.4', now - 10, 600, 1, ['GET /wp-login.php \\u00fc 日本'], 1, user='admin', port=8080)
        db.updateLog(sshd, Log('/var/log/auth.log', 1234, 'd41d8cd98f00b204e9800998ecf8427e'))
        db.delJail(nginx)
        db.close()
        """

    /// Prints, one per line, the addresses fail2ban itself would restore at `now`: argv = path, now.
    static let currentScript = """
        import sys
        from fail2ban.server.database import Fail2BanDb
        db = Fail2BanDb(sys.argv[1])
        tickets = db.getCurrentBans(fromtime=float(sys.argv[2]), correctBanTime=False)
        print('\\n'.join(sorted(str(t.getID()) for t in tickets)))
        db.close()
        """
}
