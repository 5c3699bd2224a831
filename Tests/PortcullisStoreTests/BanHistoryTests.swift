import PortcullisStore
import Testing

@Suite struct BanHistoryTests {
    @Test func historyPerJailFollowsTheLatestBan() async throws {
        try await withStore { store, _ in
            try await store.addBans([
                ban("192.0.2.1", jail: "sshd", at: 1_000, for: 600, count: 1),
                ban("192.0.2.1", jail: "sshd", at: 2_000, for: 1_200, count: 2),
                ban("192.0.2.1", jail: "nginx", at: 1_500, for: 300, count: 1),
            ])
            #expect(try await store.banHistory(ip: "192.0.2.1", jail: "sshd")
                    == BanHistory(banCount: 2, lastTimeOfBan: 2_000, lastBanTime: 1_200))
            #expect(try await store.banHistory(ip: "192.0.2.1", jail: "nginx")
                    == BanHistory(banCount: 1, lastTimeOfBan: 1_500, lastBanTime: 300))
            #expect(try await store.banHistory(ip: "192.0.2.1", jail: "postfix") == nil)
            #expect(try await store.banHistory(ip: "198.51.100.1", jail: nil) == nil)
        }
    }

    @Test func historyOverAllJailsSumsCountsAndTakesTheLatestBan() async throws {
        try await withStore { store, _ in
            try await store.addBans([
                ban("192.0.2.1", jail: "sshd", at: 2_000, for: 1_200, count: 2),
                ban("192.0.2.1", jail: "nginx", at: 3_000, for: 300, count: 3),
                ban("192.0.2.1", jail: "postfix", at: 1_000, for: -1, count: 1),
            ])
            #expect(try await store.banHistory(ip: "192.0.2.1", jail: nil)
                    == BanHistory(banCount: 6, lastTimeOfBan: 3_000, lastBanTime: 300))
        }
    }

    @Test func anOlderBanArrivingLateDoesNotRewindHistory() async throws {
        try await withStore { store, _ in
            try await store.addBan(ban("192.0.2.1", at: 2_000, for: 1_200, count: 2))
            try await store.addBan(ban("192.0.2.1", at: 1_000, for: 600, count: 1))
            #expect(try await store.banHistory(ip: "192.0.2.1", jail: "sshd")
                    == BanHistory(banCount: 2, lastTimeOfBan: 2_000, lastBanTime: 1_200))
        }
    }

    @Test func historyStaysAfterUnban() async throws {
        try await withStore { store, _ in
            try await store.addBan(ban("192.0.2.1", at: 1_000, count: 4))
            try await store.removeBan(jail: "sshd", ip: "192.0.2.1")
            try await store.removeBans(jail: nil)
            #expect(try await store.currentBans(jail: nil, now: 1_001).isEmpty)
            #expect(try await store.banHistory(ip: "192.0.2.1", jail: "sshd")?.banCount == 4)
            #expect(try await store.mergedBans(ip: "192.0.2.1", jail: nil)?.bans == 1)
        }
    }

    @Test func forgettingResetsHistoryLikeFail2bansUnban() async throws {
        try await withStore { store, _ in
            try await store.addBans([
                ban("192.0.2.1", jail: "sshd", count: 3), ban("192.0.2.1", jail: "nginx", count: 2),
                ban("192.0.2.2", jail: "sshd", count: 1), ban("192.0.2.3", jail: "nginx", count: 1),
            ])
            try await store.forgetBans(jail: "sshd", ip: "192.0.2.1")
            #expect(try await store.banHistory(ip: "192.0.2.1", jail: "sshd") == nil)
            #expect(try await store.mergedBans(ip: "192.0.2.1", jail: "sshd") == nil)
            #expect(try await store.banHistory(ip: "192.0.2.1", jail: nil)?.banCount == 2)
            #expect(try await store.currentBans(jail: nil, now: 1_001).count == 3)
            try await store.forgetBans(jail: "nginx", ip: nil)
            #expect(try await store.currentBans(jail: nil, now: 1_001).map(\.ip) == ["192.0.2.2"])
            #expect(try await store.banHistories(jail: nil).keys.sorted() == ["192.0.2.2"])
            try await store.forgetBans(jail: nil, ip: nil)
            #expect(try await store.currentBans(jail: nil, now: 1_001).isEmpty)
            #expect(try await store.banHistories(jail: nil).isEmpty)
        }
    }

    @Test func historiesSeedEveryAddress() async throws {
        try await withStore { store, _ in
            try await store.addBans([
                ban("192.0.2.1", jail: "sshd", at: 1_000, count: 1),
                ban("192.0.2.1", jail: "sshd", at: 2_000, count: 2),
                ban("192.0.2.1", jail: "nginx", at: 2_500, for: 60, count: 1),
                ban("192.0.2.2", jail: "sshd", at: 1_500, for: -1, count: 1),
            ])
            #expect(try await store.banHistories(jail: "sshd") == [
                "192.0.2.1": BanHistory(banCount: 2, lastTimeOfBan: 2_000, lastBanTime: 600),
                "192.0.2.2": BanHistory(banCount: 1, lastTimeOfBan: 1_500, lastBanTime: -1),
            ])
            #expect(try await store.banHistories(jail: nil) == [
                "192.0.2.1": BanHistory(banCount: 3, lastTimeOfBan: 2_500, lastBanTime: 60),
                "192.0.2.2": BanHistory(banCount: 1, lastTimeOfBan: 1_500, lastBanTime: -1),
            ])
            #expect(try await store.banHistories(jail: "postfix").isEmpty)
        }
    }

    @Test func mergedBansJoinMatchesOldestFirst() async throws {
        try await withStore(maxMatches: 3) { store, _ in
            try await store.addBans([
                ban("192.0.2.1", jail: "sshd", at: 1_000, failures: 2, matches: ["a1", "a2"]),
                ban("192.0.2.1", jail: "nginx", at: 2_000, failures: 1, matches: ["b1"]),
                ban("192.0.2.1", jail: "sshd", at: 3_000, failures: 3, matches: ["c1", "c2"]),
                ban("192.0.2.2", jail: "sshd", at: 3_000, failures: 5, matches: ["other"]),
            ])
            #expect(try await store.mergedBans(ip: "192.0.2.1", jail: nil) == MergedBans(
                ip: "192.0.2.1", bans: 3, failures: 6, matches: ["b1", "c1", "c2"],
                firstTimeOfBan: 1_000, lastTimeOfBan: 3_000))
            #expect(try await store.mergedBans(ip: "192.0.2.1", jail: "sshd") == MergedBans(
                ip: "192.0.2.1", bans: 2, failures: 5, matches: ["a2", "c1", "c2"],
                firstTimeOfBan: 1_000, lastTimeOfBan: 3_000))
            #expect(try await store.mergedBans(ip: "198.51.100.1", jail: nil) == nil)
        }
    }
}
