import Foundation
import PortcullisTestSupport
import Testing

/// The daemon end to end, with the stock shell actions against a real kernel firewall in a
/// namespace the test made: log lines in, a peer's packets dropped, bans that survive `kill -9`
/// and a flushed firewall, manual ban/unban, expiry.
@Suite(.serialized)
struct FirewallBanTests {
    static func jail(banaction: String) -> String {
        DaemonHarness.jail(banaction: banaction, extra: ["banaction_allports = \(banaction)"])
    }

    @Test func nftablesBanSurvivesKillAndFlush() throws {
        let pair = try NamespacePair(index: 1)
        defer { pair.remove() }
        let daemon = try DaemonHarness(namespaces: pair, jail: Self.jail(banaction: "nftables-allports"))
        defer { daemon.remove() }
        try pair.startService()
        try daemon.start()
        #expect(try pair.peerCanReachHost())

        try daemon.appendFailures(address: pair.peerAddress, count: 3)
        try waitUntil("the peer is banned", timeout: 10) {
            try daemon.client(["status", "e2e"]).stdout.contains(pair.peerAddress)
        }
        try waitUntil("the rule is in the kernel", timeout: 10) {
            try pair.inHost(["nft", "list", "ruleset"]).stdout.contains(pair.peerAddress)
        }
        #expect(try !pair.peerCanReachHost())
        let status = try daemon.client(["status", "e2e"]).stdout
        #expect(status.contains("Currently banned:\t1"))

        // A crash, then the firewall is flushed while the daemon is down: the restart restores it.
        daemon.kill9()
        try pair.inHost(["nft", "flush", "ruleset"])
        #expect(try pair.peerCanReachHost())
        try daemon.start()
        try waitUntil("the ban is re-applied after restart", timeout: 10) {
            try pair.inHost(["nft", "list", "ruleset"]).stdout.contains(pair.peerAddress)
        }
        #expect(try !pair.peerCanReachHost())
        let log = try String(contentsOfFile: daemon.daemonLog, encoding: .utf8)
        #expect(log.contains("NOTICE  [e2e] Restore Ban \(pair.peerAddress)"))

        // Manual unban and ban.
        #expect(try daemon.client(["set", "e2e", "unbanip", pair.peerAddress]).status == 0)
        try waitUntil("the unban reaches the kernel", timeout: 10) { try pair.peerCanReachHost() }
        #expect(try daemon.client(["set", "e2e", "banip", pair.peerAddress]).status == 0)
        try waitUntil("the manual ban reaches the kernel", timeout: 10) { try !pair.peerCanReachHost() }
        try daemon.stop()
    }

    @Test func iptablesBanLiftsAfterBantime() throws {
        let pair = try NamespacePair(index: 2)
        defer { pair.remove() }
        let daemon = try DaemonHarness(namespaces: pair, jail: Self.jail(banaction: "iptables-allports"))
        defer { daemon.remove() }
        try pair.startService()
        try daemon.start()
        #expect(try pair.peerCanReachHost())
        #expect(try daemon.client(["set", "e2e", "bantime", "3"]).status == 0)

        try daemon.appendFailures(address: pair.peerAddress, count: 3)
        try waitUntil("the iptables rule holds the peer", timeout: 10) {
            try pair.inHost(["iptables", "-S"]).stdout.contains(pair.peerAddress)
        }
        #expect(try !pair.peerCanReachHost())
        let banned = try daemon.client(["banned"]).stdout
        #expect(banned.contains(pair.peerAddress))

        try waitUntil("the ban lifts after bantime", timeout: 10) { try pair.peerCanReachHost() }
        #expect(try !pair.inHost(["iptables", "-S"]).stdout.contains(pair.peerAddress))
        try daemon.stop()
        // actionstop removed the jail's chain.
        #expect(try !pair.inHost(["iptables", "-S"]).stdout.contains("f2b-e2e"))
    }

    @Test func stockActionIsRepairedAfterAFirewallReload() throws {
        let pair = try NamespacePair(index: 3)
        defer { pair.remove() }
        let daemon = try DaemonHarness(namespaces: pair, jail: Self.jail(banaction: "iptables-allports"))
        defer { daemon.remove() }
        try pair.startService()
        try daemon.start()
        try daemon.appendFailures(address: pair.peerAddress, count: 3)
        try waitUntil("the peer is blocked", timeout: 10) { try !pair.peerCanReachHost() }

        // A firewall reload behind the daemon's back: actioncheck fails, actionstop + actionstart
        // rebuild the chain, and every current ban is made again.
        try pair.inHost(["iptables", "-F"])
        try pair.inHost(["iptables", "-X"])
        let flushed = Date()
        try waitUntil("the stock action is repaired", timeout: 8) {
            try pair.inHost(["iptables", "-S"]).stdout.contains(pair.peerAddress)
        }
        print("stock iptables-allports: repaired \(String(format: "%.3f", Date().timeIntervalSince(flushed))) s after iptables -F; iptables -X")
        #expect(try !pair.peerCanReachHost())
        #expect(daemon.logText().contains("actioncheck failed"))
        let jumps = try pair.inHost(["iptables", "-S", "INPUT"]).stdout.components(separatedBy: "f2b-e2e").count - 1
        #expect(jumps == 1, "one jump into the jail's chain after the repair")
    }

    /// The stock `nftables` action's `add element`/`delete element` go through netlink in the
    /// daemon (no shell, no nft process; the TRACEDEBUG log says so), with the same effect on the
    /// kernel set; `nftnetlink = false` runs them through the shell again.
    @Test func stockNftElementCommandsGoThroughNetlink() throws {
        let pair = try NamespacePair(index: 4)
        defer { pair.remove() }
        let daemon = try DaemonHarness(namespaces: pair, jail: Self.jail(banaction: "nftables-allports"))
        defer { daemon.remove() }
        _ = try daemon.directory.write("etc/fail2ban.d/trace.local", "[Definition]\nloglevel = TRACEDEBUG\n")
        try pair.startService()
        try daemon.start()
        try daemon.appendFailures(address: pair.peerAddress, count: 3)
        try waitUntil("the peer is blocked", timeout: 10) { try !pair.peerCanReachHost() }
        let ban = "-- exec: nft add element inet f2b-table addr-set-e2e \\{ \(pair.peerAddress) \\}"
        func followedByNetlink(_ exec: String) -> Bool {
            let lines = daemon.logText().components(separatedBy: "\n")
            guard let at = lines.lastIndex(where: { $0.hasSuffix(exec) }), at + 1 < lines.count else { return false }
            let id = lines[at].components(separatedBy: " -- exec:")[0].split(separator: " ").last.map(String.init) ?? "?"
            return lines[(at + 1)...].contains { $0.hasSuffix("\(id) -- carried out through netlink, no shell started") }
        }
        #expect(followedByNetlink(ban), "\(daemon.logText().suffix(3000))")

        #expect(try daemon.client(["set", "e2e", "unbanip", pair.peerAddress]).status == 0)
        try waitUntil("the unban reaches the kernel", timeout: 10) { try pair.peerCanReachHost() }
        #expect(followedByNetlink("-- exec: nft delete element inet f2b-table addr-set-e2e \\{ \(pair.peerAddress) \\}"))

        // Switched off: the same command through sh and nft, and no netlink line for it.
        try daemon.stop()
        _ = try daemon.directory.write("etc/fail2ban.d/no-netlink.local", "[Definition]\nnftnetlink = false\n")
        try daemon.start()
        #expect(try daemon.client(["set", "e2e", "banip", pair.peerAddress]).status == 0)
        try waitUntil("the manual ban reaches the kernel", timeout: 10) { try !pair.peerCanReachHost() }
        #expect(daemon.logText().contains(ban))
        #expect(!followedByNetlink(ban))
        try daemon.stop()
    }
}
