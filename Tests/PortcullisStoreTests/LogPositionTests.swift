import PortcullisStore
import Testing

@Suite struct LogPositionTests {
    @Test func positionsAreRecordedAndReplaced() async throws {
        try await withStore { store, _ in
            #expect(try await store.logPosition(jail: "sshd", path: "/var/log/auth.log") == nil)
            let first = StoredLogPosition(jail: "sshd", path: "/var/log/auth.log", firstLineHash: "abc", offset: 1_234)
            let other = StoredLogPosition(jail: "nginx", path: "/var/log/auth.log", firstLineHash: "def", offset: 5)
            try await store.setLogPositions([first, other])
            #expect(try await store.logPosition(jail: "sshd", path: "/var/log/auth.log") == first)
            #expect(try await store.logPosition(jail: "nginx", path: "/var/log/auth.log") == other)
            let moved = StoredLogPosition(jail: "sshd", path: "/var/log/auth.log", firstLineHash: "xyz",
                                          offset: UInt64(Int64.max))
            try await store.setLogPositions([moved])
            #expect(try await store.logPosition(jail: "sshd", path: "/var/log/auth.log") == moved)
            #expect(try await store.logPosition(jail: "sshd", path: "/var/log/other.log") == nil)
        }
    }
}
