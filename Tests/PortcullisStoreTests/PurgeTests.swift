import PortcullisStore
import Testing

@Suite struct PurgeTests {
    @Test func purgeDropsOldHistoryAndEndedBans() async throws {
        try await withStore { store, _ in
            try await store.addBans([
                ban("192.0.2.1", at: 1_000, for: 100),      // long over: forgotten entirely
                ban("192.0.2.2", at: 1_000, for: 20_000),   // over before the cutoff, but 3× its length is not
                ban("192.0.2.3", at: 1_000, for: -1),       // permanent: current and remembered for ever
                ban("192.0.2.4", at: 60_000, for: 600),     // after the cutoff: untouched
            ])
            let removed = try await store.purge(olderThan: 50_000)
            #expect(removed == 2) // the permanent ban keeps its history row: it holds its matches
            #expect(try await store.mergedBans(ip: "192.0.2.3", jail: nil)?.bans == 1)
            #expect(try await store.mergedBans(ip: "192.0.2.2", jail: nil) == nil)
            #expect(try await store.mergedBans(ip: "192.0.2.1", jail: nil) == nil)
            #expect(try await store.banHistory(ip: "192.0.2.1", jail: "sshd") == nil)
            #expect(try await store.banHistory(ip: "192.0.2.2", jail: "sshd")?.lastBanTime == 20_000)
            #expect(try await store.banHistory(ip: "192.0.2.3", jail: "sshd")?.lastBanTime == -1)
            #expect(try await store.banHistory(ip: "192.0.2.4", jail: "sshd") != nil)
            #expect(try await store.mergedBans(ip: "192.0.2.4", jail: nil)?.bans == 1)
            #expect(try await store.currentBans(jail: nil, now: 0).map(\.ip) == ["192.0.2.3", "192.0.2.4"])
            #expect(try await store.purge(olderThan: 50_000) == 0)
        }
    }

    @Test func purgeForgetsDisabledJailsWithoutBans() async throws {
        try await withStore { store, _ in
            try await store.addJail("sshd")
            try await store.addJail("old")
            try await store.addJail("kept")
            try await store.setJailEnabled("old", false)
            try await store.setJailEnabled("kept", false)
            try await store.addBan(ban("192.0.2.1", jail: "kept", at: 90_000))
            try await store.setLogPositions([
                StoredLogPosition(jail: "old", path: "/var/log/old.log", firstLineHash: "h", offset: 1),
                StoredLogPosition(jail: "sshd", path: "/var/log/auth.log", firstLineHash: "h", offset: 2),
            ])
            _ = try await store.purge(olderThan: 50_000)
            #expect(try await store.jailNames(enabled: nil) == ["kept", "sshd"])
            #expect(try await store.logPosition(jail: "old", path: "/var/log/old.log") == nil)
            #expect(try await store.logPosition(jail: "sshd", path: "/var/log/auth.log")?.offset == 2)
        }
    }
}
