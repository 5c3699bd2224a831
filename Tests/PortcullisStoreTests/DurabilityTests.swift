import GRDB
@testable import PortcullisStore
import PortcullisTestSupport
import Testing

@Suite struct DurabilityTests {
    /// SQLite's `synchronous` of the writing connection: 1 NORMAL, 2 FULL.
    private func synchronous(_ store: SQLiteBanStore) async throws -> Int? {
        try await store.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
    }

    @Test func theDefaultSurvivesAKilledProcess() async throws {
        try await withStore { store, _ in
            #expect(try await synchronous(store) == 1)
            let mode = try await store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
        }
    }

    @Test func powerLossDurabilitySyncsEveryCommit() async throws {
        let folder = try TemporaryDirectory(prefix: "portcullis-store")
        defer { folder.remove() }
        let store = try SQLiteBanStore(path: storePath(in: folder), durability: .powerLoss)
        #expect(try await synchronous(store) == 2)
        try await store.addBan(ban("192.0.2.1"))
        #expect(try await store.currentBans(jail: nil, now: 1_001).count == 1)
        try await store.close()
    }
}
