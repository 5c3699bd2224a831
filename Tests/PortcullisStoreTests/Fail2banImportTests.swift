import Foundation
import PortcullisStore
import PortcullisTestSupport
import Testing

@Suite struct Fail2banImportTests {
    static let now = 1_700_000_000.0

    @Test func schema4() async throws {
        try await withImport(.v4) { store, report, _ in
            #expect(report.schemaVersion == 4)
            #expect(report.jails == 2)
            #expect(report.historyBans == 7)
            #expect(report.duplicateHistoryBans == 0)
            #expect(report.currentBans == 5)
            #expect(report.expiredBans == 1)
            #expect(report.logPositions == 2)
            #expect(report.skippedRows == 2)
            #expect(report.problems.count == 2)
            #expect(report.problems.contains { $0.hasPrefix("bans rowid 6: no address") })
            #expect(report.problems.contains { $0.contains("bips") && $0.contains("'garbage' is not a number") })
            #expect(report.unreadableData == 2) // the same ban in bans and in bips
            #expect(report.unknownBanTimes == 2)
            try await checkSample(store, permanentKnown: true)
            #expect(try await store.banHistory(ip: "192.0.2.3", jail: "nginx")
                    == BanHistory(banCount: 1, lastTimeOfBan: Self.now - 1_000, lastBanTime: 600))
        }
    }

    @Test func schema3() async throws {
        try await withImport(.v3) { store, report, _ in
            #expect(report.schemaVersion == 3)
            #expect(report.historyBans == 7)
            #expect(report.currentBans == 5)
            #expect(report.expiredBans == 1)
            #expect(report.skippedRows == 1)
            #expect(report.unreadableData == 1)
            #expect(report.unknownBanTimes == 1)
            try await checkSample(store, permanentKnown: true)
        }
    }

    @Test func schema2HasNoBanTimes() async throws {
        try await withImport(.v2) { store, report, _ in
            #expect(report.schemaVersion == 2)
            #expect(report.historyBans == 7)
            #expect(report.unknownBanTimes == 7)
            // Everything lasts `unknownBanTime` (600 s): the permanent ban of 192.0.2.2 is long over.
            let current = try await store.currentBans(jail: nil, now: Self.now)
            #expect(current.map(\.ip).sorted() == ["192.0.2.1", "192.0.2.4", "192.0.2.5", "192.0.2.6"])
            #expect(report.currentBans == 4)
            #expect(report.expiredBans == 2)
            #expect(current.allSatisfy { $0.banTime == 600 && $0.banCount == 1 })
        }
    }

    @Test func importingTwiceAddsNothing() async throws {
        try await withImport(.v4) { store, first, path in
            let second = try await SQLiteBanStore.importFail2banDatabase(from: path, into: store, now: Self.now)
            #expect(second.historyBans == 0)
            #expect(second.duplicateHistoryBans == first.historyBans)
            #expect(second.logPositions == 0)
            #expect(try await store.mergedBans(ip: "192.0.2.1", jail: "sshd")?.bans == 2)
            #expect(try await store.currentBans(jail: nil, now: Self.now).count == 5)
        }
    }

    @Test(.enabled(if: Fail2banPython.libraryPath != nil, "needs python3 and fail2ban's Python code"))
    func aDatabaseWrittenByFail2banItself() async throws {
        let folder = try TemporaryDirectory(prefix: "portcullis-import")
        defer { folder.remove() }
        let source = folder.url.appendingPathComponent("fail2ban.sqlite3").path
        _ = try Fail2banPython.run(Fail2banPython.writeScript, [source, String(Self.now)])
        try await withStore { store, _ in
            let report = try await SQLiteBanStore.importFail2banDatabase(from: source, into: store, now: Self.now)
            #expect(report.schemaVersion == 4)
            #expect(report.skippedRows == 0 && report.unreadableData == 0 && report.unknownBanTimes == 0)
            #expect(report.historyBans == 5)
            #expect(report.currentBans == 3)
            #expect(report.expiredBans == 1)
            #expect(report.logPositions == 1)
            #expect(try await store.jailNames(enabled: false) == ["nginx"])
            #expect(try await store.jailNames(enabled: true) == ["sshd"])

            // The same addresses fail2ban itself would restore.
            let theirs = try Fail2banPython.run(Fail2banPython.currentScript, [source, String(Self.now)])
                .split(separator: "\n").map(String.init)
            let ours = try await store.currentBans(jail: nil, now: Self.now)
            #expect(Set(ours.map(\.ip)) == Set(theirs))
            #expect(ours.map(\.ip).sorted() == ["192.0.2.1", "192.0.2.2", "192.0.2.4"])

            let sshd = try #require(ours.first { $0.ip == "192.0.2.1" })
            #expect(sshd == StoredBan(jail: "sshd", ip: "192.0.2.1", timeOfBan: Self.now - 100, banTime: 1_200,
                                      banCount: 2, failures: 2, matches: ["new line 1", "new line 2"]))
            let nginx = try #require(ours.first { $0.ip == "192.0.2.4" })
            #expect(nginx.matches == ["GET /wp-login.php ü 日本"])
            #expect(nginx.fields == ["user": "admin", "port": "8080"])
            #expect(try await store.banHistory(ip: "192.0.2.1", jail: "sshd")?.banCount == 2)
            #expect(try await store.mergedBans(ip: "192.0.2.1", jail: nil)?.matches
                    == ["old line", "new line 1", "new line 2"])
            #expect(try await store.logPosition(jail: "sshd", path: "/var/log/auth.log")
                    == StoredLogPosition(jail: "sshd", path: "/var/log/auth.log",
                                         firstLineHash: "d41d8cd98f00b204e9800998ecf8427e", offset: 1234))
        }
    }

    @Test func aFileThatIsNotAFail2banDatabaseIsRefused() async throws {
        try await withStore { store, folder in
            let other = try SQLiteBanStore(path: folder.url.appendingPathComponent("other.sqlite3").path)
            try await other.close()
            let path = folder.url.appendingPathComponent("other.sqlite3").path
            do {
                _ = try await SQLiteBanStore.importFail2banDatabase(from: path, into: store, now: Self.now)
                Issue.record("imported a Portcullis store as a fail2ban database")
            } catch let error as StoreError {
                #expect(error.kind == .notFail2banDatabase)
                #expect(error.description.contains(path))
            }
            let garbage = try folder.write("garbage.sqlite3", String(repeating: "garbage ", count: 500))
            do {
                _ = try await SQLiteBanStore.importFail2banDatabase(from: garbage.path, into: store, now: Self.now)
                Issue.record("imported garbage")
            } catch let error as StoreError {
                #expect(error.kind == .corrupt)
                #expect(error.description.contains(garbage.path))
            }
            let missing = folder.url.appendingPathComponent("missing.sqlite3").path
            do {
                _ = try await SQLiteBanStore.importFail2banDatabase(from: missing, into: store, now: Self.now)
                Issue.record("imported a missing file")
            } catch let error as StoreError {
                #expect(error.kind == .open)
                #expect(error.description.contains(missing))
            }
        }
    }

    // MARK: - Helpers

    private func withImport(_ schema: Fail2banFixture.Schema,
                            _ body: (SQLiteBanStore, ImportReport, String) async throws -> Void) async throws {
        let folder = try TemporaryDirectory(prefix: "portcullis-import")
        defer { folder.remove() }
        let source = folder.url.appendingPathComponent("fail2ban.sqlite3").path
        try Fail2banFixture.create(at: source, schema: schema, rows: Fail2banFixture.sampleRows(now: Self.now))
        try await withStore { store, _ in
            let report = try await SQLiteBanStore.importFail2banDatabase(from: source, into: store, now: Self.now)
            try await body(store, report, source)
        }
    }

    /// What schemas 3 and 4 share.
    private func checkSample(_ store: SQLiteBanStore, permanentKnown: Bool) async throws {
        let now = Self.now
        let current = try await store.currentBans(jail: nil, now: now)
        #expect(current.map(\.ip).sorted() == ["192.0.2.1", "192.0.2.2", "192.0.2.4", "192.0.2.5", "192.0.2.6"])
        #expect(current.first { $0.ip == "192.0.2.1" } == StoredBan(
            jail: "sshd", ip: "192.0.2.1", timeOfBan: now - 100, banTime: 1_200, banCount: 2, failures: 2,
            matches: ["new line 1", "new line 2"]))
        #expect(current.first { $0.ip == "192.0.2.2" }?.isPermanent == permanentKnown)
        let nginx = try #require(current.first { $0.ip == "192.0.2.4" })
        #expect(nginx.matches == ["GET /wp-login.php ü 日本"])
        #expect(nginx.fields == ["port": "8080", "user": "admin"])
        #expect(current.first { $0.ip == "192.0.2.5" }?.matches == [])
        #expect(current.first { $0.ip == "192.0.2.6" }?.banTime == 600)
        #expect(try await store.banHistory(ip: "192.0.2.1", jail: "sshd")
                == BanHistory(banCount: 2, lastTimeOfBan: now - 100, lastBanTime: 1_200))
        #expect(try await store.mergedBans(ip: "192.0.2.1", jail: nil) == MergedBans(
            ip: "192.0.2.1", bans: 2, failures: 5, matches: ["old line", "new line 1", "new line 2"],
            firstTimeOfBan: now - 5_000, lastTimeOfBan: now - 100))
        #expect(try await store.jailNames(enabled: nil) == ["nginx", "sshd"])
        #expect(try await store.jailNames(enabled: false) == ["nginx"])
        #expect(try await store.logPosition(jail: "sshd", path: "/var/log/auth.log")?.offset == 1234)
        #expect(try await store.logPosition(jail: "nginx", path: "/var/log/nginx/access.log")
                == StoredLogPosition(jail: "nginx", path: "/var/log/nginx/access.log", firstLineHash: "", offset: 0))
    }
}
