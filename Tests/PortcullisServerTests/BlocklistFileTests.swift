import Foundation
import PortcullisClient
import PortcullisTestSupport
import Testing
@testable import PortcullisServer

/// The seed's Krawl set-up (a jail on `malicious_ips.txt`, `failregex = ^<HOST>$`, `maxretry = 1`)
/// and the whitelist's priority over manual bans, on the in-process daemon.
@Suite(.serialized)
struct BlocklistFileTests {
    typealias Tree = DaemonTests.Tree

    static func addKrawlJail(_ tree: Tree) throws -> String {
        let list = tree.path + "/malicious_ips.txt"
        try tree.directory.write("etc/filter.d/krawl-filter.conf", "[Definition]\nfailregex = ^<HOST>$\n")
        try tree.directory.write("etc/jail.d/krawl-jail.conf", """
            [krawl]
            enabled = true
            filter = krawl-filter
            logpath = \(list)
            backend = auto
            maxretry = 1
            findtime = 1
            bantime = 2592000
            action = record
            """)
        try "198.51.100.1\n198.51.100.2\n198.51.100.3\n".write(toFile: list, atomically: false, encoding: .utf8)
        return list
    }

    static func bans(in tree: Tree) -> [String] {
        tree.recorded().split(separator: "\n").filter { $0.hasPrefix("ban ") }.map(String.init)
    }

    @Test func aBlocklistRewrittenInPlaceBansOnlyTheNewAddresses() async throws {
        let tree = try Tree()
        defer { tree.directory.remove() }
        let list = try Self.addKrawlJail(tree)
        let (daemon, task) = try await DaemonTests.start(tree)
        // As in fail2ban, undated lines already there at start are not failures (they cannot be
        // placed in time); Krawl's next rewrite, every 5 minutes, brings them in.
        try await Task.sleep(for: .milliseconds(300))
        #expect(Self.bans(in: tree).isEmpty)
        func rewriteInPlace(_ text: String) throws {
            let handle = try #require(FileHandle(forWritingAtPath: list))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        }
        // (Rewritten until banned: a rewrite before the jail finished its first read is, as in
        // fail2ban, still the start-up read, whose undated lines do not count.)
        for _ in 0..<20 where Self.bans(in: tree).count < 3 {
            try rewriteInPlace("198.51.100.1\n198.51.100.2\n198.51.100.3\n")
            try await Task.sleep(for: .milliseconds(500))
        }
        try await eventually("the list is banned", timeout: 10) { Self.bans(in: tree).count == 3 }

        // Krawl rewrites the whole file again (truncate + write), with a new address first.
        try rewriteInPlace("203.0.113.50\n198.51.100.1\n198.51.100.2\n198.51.100.3\n")
        try await eventually("the new address is banned", timeout: 10) { Self.bans(in: tree).count == 4 }
        try await Task.sleep(for: .milliseconds(500))
        #expect(Self.bans(in: tree).count == 4, "the rewrite must not ban the listed addresses again")
        #expect(Self.bans(in: tree).last?.hasPrefix("ban 203.0.113.50") == true)

        // Replaced atomically (write elsewhere, rename over): again only the difference.
        try "198.51.100.9\n203.0.113.50\n198.51.100.1\n".write(toFile: list + ".new", atomically: false, encoding: .utf8)
        #expect(rename(list + ".new", list) == 0)
        try await eventually("the replacement's new address is banned", timeout: 10) { Self.bans(in: tree).count == 5 }
        try await Task.sleep(for: .milliseconds(500))
        #expect(Self.bans(in: tree).count == 5)

        let daemonLog = (try? String(contentsOfFile: tree.path + "/daemon.log", encoding: .utf8)) ?? ""
        #expect(!daemonLog.contains("] 198.51.100.1 already banned"), "a synced list is not a storm of 'already banned' notices")
        #expect(daemonLog.contains("read again: 2 address(es) already banned"))
        daemon.requestStop()
        try await task.value
    }

    @Test func aManualBanOfAnIgnoredAddressIsRefusedUnlessForced() async throws {
        let tree = try Tree(jailOptions: "ignoreip = 192.0.2.0/24")
        defer { tree.directory.remove() }
        let (daemon, task) = try await DaemonTests.start(tree)
        guard case .failure(let message) = try await DaemonTests.send(tree, ["set", "app", "banip", "198.51.100.4", "192.0.2.7"]) else {
            Issue.record("a whitelisted address must not be banned by hand without --force"); return
        }
        #expect(message.contains("192.0.2.7") && message.contains("--force"))
        #expect(try await DaemonTests.send(tree, ["banned", "198.51.100.4"]) == .ok(.list([.list([])])), "nothing of a refused list is banned")
        #expect(try await DaemonTests.send(tree, ["set", "app", "banip", "--force", "192.0.2.7"]) == .ok(.int(1)))
        try await eventually("the forced ban ran", timeout: 10) { tree.recorded().contains("ban 192.0.2.7") }
        daemon.requestStop()
        try await task.value
    }
}
