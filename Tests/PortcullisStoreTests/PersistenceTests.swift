import Foundation
import GRDB
import PortcullisStore
import PortcullisTestSupport
import Testing

@Suite struct PersistenceTests {
    @Test func dataSurvivesClosingAndReopening() async throws {
        let folder = try TemporaryDirectory(prefix: "portcullis-store")
        defer { folder.remove() }
        let path = storePath(in: folder)
        let position = StoredLogPosition(jail: "sshd", path: "/var/log/auth.log", firstLineHash: "h", offset: 42)
        do {
            let store = try SQLiteBanStore(path: path)
            try await store.addJail("sshd")
            try await store.addBans([ban("192.0.2.1", matches: ["m"]), ban("192.0.2.2", for: -1, count: 3)])
            try await store.setLogPositions([position])
            try await store.close()
        }
        let reopened = try SQLiteBanStore(path: path)
        #expect(try await reopened.currentBans(jail: nil, now: 1_001)
                == [ban("192.0.2.1", matches: ["m"]), ban("192.0.2.2", for: -1, count: 3)])
        #expect(try await reopened.banHistory(ip: "192.0.2.2", jail: "sshd")?.banCount == 3)
        #expect(try await reopened.logPosition(jail: "sshd", path: "/var/log/auth.log") == position)
        #expect(try await reopened.jailNames(enabled: true) == ["sshd"])
        try await reopened.close()
    }

    /// "Durable before any action runs": once `addBan` returns, another connection (another process,
    /// such as the daemon restarted after `kill -9`) sees the ban, without the store closing.
    @Test func aBanIsCommittedWhenAddBanReturns() async throws {
        try await withStore { store, folder in
            try await store.addBan(ban("192.0.2.7", at: 1_000, for: 600))
            var configuration = Configuration()
            configuration.readonly = true
            let other = try DatabaseQueue(path: storePath(in: folder), configuration: configuration)
            let count = try await other.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM current_bans WHERE ip = '192.0.2.7'")
            }
            #expect(count == 1)
            try other.close()
            if hasProgram("sqlite3") {
                let shell = try Command.run(["sqlite3", storePath(in: folder), "SELECT ip FROM current_bans"])
                #expect(shell.status == 0)
                #expect(shell.stdout.contains("192.0.2.7"))
            }
        }
    }

    /// What `kill -9` leaves behind: the database and its WAL as they were, never checkpointed or
    /// closed. A copy of those files, taken while the store is still open, must hold every returned ban.
    @Test func filesLeftByAKilledProcessHoldTheBans() async throws {
        try await withStore { store, folder in
            for index in 0..<20 {
                try await store.addBan(ban("192.0.2.\(index)", at: 1_000 + Double(index)))
            }
            let copy = try TemporaryDirectory(prefix: "portcullis-store-copy")
            defer { copy.remove() }
            let source = storePath(in: folder)
            let target = storePath(in: copy)
            let wal = try FileManager.default.attributesOfItem(atPath: source + "-wal")[.size] as? Int ?? 0
            #expect(wal > 0, "the bans should still be in the WAL, as after a crash")
            try FileManager.default.copyItem(atPath: source, toPath: target)
            try FileManager.default.copyItem(atPath: source + "-wal", toPath: target + "-wal")
            let recovered = try SQLiteBanStore(path: target)
            #expect(try await recovered.currentBans(jail: nil, now: 1_001).count == 20)
            try await recovered.close()
        }
    }

    @Test func aDamagedFileIsRefusedNamingItsPath() async throws {
        let folder = try TemporaryDirectory(prefix: "portcullis-store")
        defer { folder.remove() }
        let file = try folder.write("bans.sqlite3", String(repeating: "this is not a database\n", count: 200))
        do {
            _ = try SQLiteBanStore(path: file.path)
            Issue.record("a damaged file was opened")
        } catch {
            #expect(error.kind == .corrupt)
            #expect(error.path == file.path)
            #expect(error.description.contains(file.path))
            #expect(error.description.contains("not a database"))
        }
    }

    @Test func damagedPagesAreReportedNamingThePath() async throws {
        let folder = try TemporaryDirectory(prefix: "portcullis-store")
        defer { folder.remove() }
        let path = storePath(in: folder)
        do {
            let store = try SQLiteBanStore(path: path)
            try await store.addBans((0..<2_000).map { ban("10.0.\($0 / 256).\($0 % 256)", matches: ["line \($0)"]) })
            try await store.close()
        }
        // Scribble over every page but the first (the header and schema stay readable).
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let size = try file.seekToEnd()
        try file.seek(toOffset: 4_096)
        try file.write(contentsOf: Data(repeating: 0xA5, count: Int(size) - 4_096))
        try file.close()
        do {
            let store = try SQLiteBanStore(path: path)
            _ = try await store.currentBans(jail: nil, now: 0)
            Issue.record("damaged pages went unnoticed")
        } catch {
            #expect(error.kind == .corrupt)
            #expect(error.description.contains(path))
        }
    }

    @Test func anUnopenablePathIsRefusedNamingIt() async throws {
        let path = "/nonexistent-portcullis-folder/\(UUID().uuidString)/bans.sqlite3"
        do {
            _ = try SQLiteBanStore(path: path)
            Issue.record("a store was opened in a missing folder")
        } catch {
            #expect(error.kind == .open)
            #expect(error.description.contains(path))
        }
    }

    @Test func aFail2banDatabaseIsNotOpenedAsAStore() async throws {
        let folder = try TemporaryDirectory(prefix: "portcullis-store")
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("fail2ban.sqlite3").path
        try Fail2banFixture.create(at: path, schema: .v4, rows: Fail2banFixture.sampleRows(now: 10_000))
        do {
            _ = try SQLiteBanStore(path: path)
            Issue.record("a fail2ban database was opened as a store")
        } catch {
            #expect(error.kind == .fail2banDatabase)
            #expect(error.description.contains(path))
        }
    }

    @Test func aSchemaFromANewerPortcullisIsRefused() async throws {
        let folder = try TemporaryDirectory(prefix: "portcullis-store")
        defer { folder.remove() }
        let path = storePath(in: folder)
        try await SQLiteBanStore(path: path).close()
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99-future')") }
        try queue.close()
        do {
            _ = try SQLiteBanStore(path: path)
            Issue.record("a newer schema was opened")
        } catch {
            #expect(error.kind == .schema)
            #expect(error.description.contains("newer"))
        }
    }

    @Test func aClosedStoreRefusesWork() async throws {
        try await withStore { store, _ in
            try await store.close()
            do {
                try await store.addBan(ban("192.0.2.1"))
                Issue.record("a closed store added a ban")
            } catch let error as StoreError {
                #expect(error.kind == .closed)
            }
        }
    }
}
