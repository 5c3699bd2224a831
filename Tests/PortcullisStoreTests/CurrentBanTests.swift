import PortcullisStore
import Testing

@Suite struct CurrentBanTests {
    @Test func addedBansAreCurrentUntilTheyEnd() async throws {
        try await withStore { store, _ in
            try await store.addBan(ban("192.0.2.1", at: 1_000, for: 600, matches: ["line 1", "line 2"]))
            try await store.addBan(ban("192.0.2.2", at: 1_100, for: 600))
            #expect(try await store.currentBans(jail: nil, now: 1_050).map(\.ip) == ["192.0.2.1", "192.0.2.2"])
            #expect(try await store.currentBans(jail: nil, now: 1_599).map(\.ip) == ["192.0.2.1", "192.0.2.2"])
            // A ban ending exactly at `now` is over.
            #expect(try await store.currentBans(jail: nil, now: 1_600).map(\.ip) == ["192.0.2.2"])
            #expect(try await store.currentBans(jail: nil, now: 1_700).isEmpty)
            let restored = try await store.currentBans(jail: "sshd", now: 1_050)[0]
            #expect(restored == ban("192.0.2.1", at: 1_000, for: 600, matches: ["line 1", "line 2"]))
            #expect(restored.endTime == 1_600)
        }
    }

    @Test func permanentBansNeverEnd() async throws {
        try await withStore { store, _ in
            try await store.addBan(ban("2001:db8::1", at: 1_000, for: -1))
            let current = try await store.currentBans(jail: nil, now: 1e12)
            #expect(current.map(\.ip) == ["2001:db8::1"])
            #expect(current[0].isPermanent)
            #expect(current[0].endTime == nil)
        }
    }

    @Test func currentBansOfOneJail() async throws {
        try await withStore { store, _ in
            try await store.addBans([ban("192.0.2.1", jail: "sshd"), ban("192.0.2.1", jail: "nginx"),
                                     ban("192.0.2.2", jail: "nginx", at: 1_001)])
            #expect(try await store.currentBans(jail: "nginx", now: 1_010).map(\.ip) == ["192.0.2.1", "192.0.2.2"])
            #expect(try await store.currentBans(jail: "sshd", now: 1_010).map(\.ip) == ["192.0.2.1"])
            #expect(try await store.currentBans(jail: "postfix", now: 1_010).isEmpty)
            #expect(try await store.currentBans(jail: nil, now: 1_010).count == 3)
        }
    }

    @Test func aNewBanReplacesTheCurrentOne() async throws {
        try await withStore { store, _ in
            try await store.addBan(ban("192.0.2.1", at: 1_000, for: 600, count: 1))
            try await store.addBan(ban("192.0.2.1", at: 2_000, for: 1_200, count: 2, matches: ["again"]))
            let current = try await store.currentBans(jail: nil, now: 2_001)
            #expect(current == [ban("192.0.2.1", at: 2_000, for: 1_200, count: 2, matches: ["again"])])
        }
    }

    @Test func removeBanLeavesOtherBans() async throws {
        try await withStore { store, _ in
            try await store.addBans([ban("192.0.2.1"), ban("192.0.2.2"), ban("192.0.2.1", jail: "nginx")])
            try await store.removeBan(jail: "sshd", ip: "192.0.2.1")
            try await store.removeBan(jail: "sshd", ip: "198.51.100.9") // not banned: nothing happens
            let current = try await store.currentBans(jail: nil, now: 1_001)
            #expect(current.map { "\($0.jail) \($0.ip)" }.sorted() == ["nginx 192.0.2.1", "sshd 192.0.2.2"])
        }
    }

    @Test func removeBansOfOneJailOrAll() async throws {
        try await withStore { store, _ in
            try await store.addBans([ban("192.0.2.1"), ban("192.0.2.2"), ban("192.0.2.1", jail: "nginx")])
            try await store.removeBans(jail: "sshd")
            #expect(try await store.currentBans(jail: nil, now: 1_001).map(\.jail) == ["nginx"])
            try await store.addBan(ban("192.0.2.3"))
            try await store.removeBans(jail: nil)
            #expect(try await store.currentBans(jail: nil, now: 1_001).isEmpty)
        }
    }

    @Test func matchesAreTrimmedToMaxMatches() async throws {
        try await withStore(maxMatches: 2) { store, _ in
            try await store.addBan(ban("192.0.2.1", matches: ["one", "two", "three"]))
            #expect(try await store.currentBans(jail: nil, now: 1_001)[0].matches == ["two", "three"])
        }
        try await withStore(maxMatches: 0) { store, _ in
            try await store.addBan(ban("192.0.2.1", matches: ["one", "two", "three"]))
            #expect(try await store.currentBans(jail: nil, now: 1_001)[0].matches == [])
        }
    }

    @Test func matchesAndFieldsKeepEveryCharacter() async throws {
        let matches = ["quote \" backslash \\ slash /", "tab\tnewline\ncr\r", "nul \u{0} bell \u{7} del \u{7F}",
                       "Ünïcödé 日本 🚪", ""]
        let fields = ["user": "root \"admin\"", "empty": "", "émoji": "🔥"]
        try await withStore { store, _ in
            try await store.addBan(ban("192.0.2.1", matches: matches, fields: fields))
            let restored = try await store.currentBans(jail: nil, now: 1_001)[0]
            #expect(restored.matches == matches)
            #expect(restored.fields == fields)
        }
    }

    @Test func addBansIsAllOrNothing() async throws {
        try await withStore { store, _ in
            await #expect(throws: StoreError.self) {
                try await store.addBans([ban("192.0.2.1"), ban("")])
            }
            #expect(try await store.currentBans(jail: nil, now: 1_001).isEmpty)
            do {
                try await store.addBan(ban("192.0.2.1", at: .nan))
                Issue.record("a ban at NaN was accepted")
            } catch let error as StoreError {
                #expect(error.kind == .invalidArgument)
                #expect(error.description.contains("192.0.2.1"))
            }
        }
    }

    @Test func jailsCanBeDisabledAndListed() async throws {
        try await withStore { store, _ in
            try await store.addJail("sshd")
            try await store.addJail("nginx")
            try await store.setJailEnabled("nginx", false)
            #expect(try await store.jailNames(enabled: nil) == ["nginx", "sshd"])
            #expect(try await store.jailNames(enabled: true) == ["sshd"])
            #expect(try await store.jailNames(enabled: false) == ["nginx"])
            try await store.addJail("nginx")
            #expect(try await store.jailNames(enabled: true) == ["nginx", "sshd"])
        }
    }

    @Test func anInMemoryStoreWorks() async throws {
        let store = try SQLiteBanStore(path: ":memory:")
        try await store.addBan(ban("192.0.2.1"))
        #expect(try await store.currentBans(jail: nil, now: 1_001).count == 1)
    }
}
