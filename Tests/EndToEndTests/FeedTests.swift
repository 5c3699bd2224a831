import Foundation
import PortcullisTestSupport
import Testing

/// Native blocklist feeds end to end: a real HTTP server on the namespace's loopback serves a
/// 100,000-address list the test writes; the daemon loads it into a kernel set in one batch, the
/// listed peer is dropped, a failing or empty answer keeps the list, a new list applies only its
/// difference, and a whitelisted peer passes although the feed lists it.
@Suite(.serialized)
struct FeedTests {
    static func config(url: String, ignoreip: String = "") -> String {
        """
        [DEFAULT]
        ignoreself = false
        ignoreip = \(ignoreip)

        [feed-test]
        url = \(url)
        interval = 1

        """
    }

    /// 100,000 addresses outside the test's networks, plus `extra`.
    static func list(with extra: [String]) -> String {
        (0..<100_000).map { "172.\(16 + $0 >> 16).\(($0 >> 8) & 255).\($0 & 255)" }.joined(separator: "\n")
            + "\n# a comment, and an invalid line\nnot-an-address\n" + extra.map { $0 + "\n" }.joined()
    }

    @Test func aHundredThousandAddressFeedBlocksItsPeerAndSurvivesABadServer() throws {
        let pair = try NamespacePair(index: 54)
        defer { pair.remove() }
        let server = try FeedHTTPServer(namespace: pair.host)
        defer { server.stop() }
        try server.serve("list.txt", Self.list(with: [pair.peerAddress]))
        try server.start()
        let daemon = try DaemonHarness(namespaces: pair, jail: Self.config(url: server.url(path: "/list.txt")))
        defer { daemon.remove() }
        try pair.startService()
        #expect(try pair.peerCanReachHost())

        let started = Date()
        try daemon.start()
        try waitUntil("the feed's peer is dropped", timeout: 20) { try !pair.peerCanReachHost() }
        print("feed: 100,001 addresses blocked \(String(format: "%.3f", Date().timeIntervalSince(started))) s after the daemon's spawn")
        let listing = try pair.inHost(["nft", "-j", "list", "table", "inet", "portcullis"]).stdout
        #expect(listing.components(separatedBy: "\"172.").count - 1 == 100_000)

        // A server error, then an empty answer: the list is kept (never unban everything).
        try server.setMode(.error500)
        try waitUntil("a failing fetch is logged", timeout: 10) { daemon.logText().contains("keeping the previous 100001 addresses") }
        try server.setMode(.empty)
        Thread.sleep(forTimeInterval: 2.5)
        #expect(try !pair.peerCanReachHost(), "a failing or empty feed keeps its list")

        // The peer leaves the list: only the difference is applied, and it passes again.
        try server.serve("list.txt", Self.list(with: ["192.0.2.77"]))
        try server.setMode(.serve)
        try waitUntil("the peer is removed from the set", timeout: 15) { try pair.peerCanReachHost() }
        #expect(daemon.logText().contains("(+1 -1)"), "only the difference is applied: \(daemon.logText().suffix(800))")
    }

    @Test func aWhitelistedPeerPassesThoughTheFeedListsIt() throws {
        let pair = try NamespacePair(index: 55)
        defer { pair.remove() }
        let server = try FeedHTTPServer(namespace: pair.host)
        defer { server.stop() }
        try server.serve("list.txt", "198.51.100.1\n\(pair.peerAddress)\n")
        try server.start()
        let daemon = try DaemonHarness(namespaces: pair, jail: Self.config(url: server.url(path: "/list.txt"), ignoreip: pair.peerAddress))
        defer { daemon.remove() }
        try pair.startService()
        try daemon.start()
        try waitUntil("the feed is loaded", timeout: 20) {
            try pair.inHost(["nft", "list", "table", "inet", "portcullis"]).stdout.contains("198.51.100.1")
        }
        #expect(try pair.peerCanReachHost())
        #expect(try daemon.mappings().contains("libcurl"), "the first fetch loads libcurl")
    }

    /// libcurl and its chain of TLS, Kerberos and LDAP libraries are loaded by the first HTTP
    /// fetch of a feed: a daemon without feeds never maps them (about 1 MiB of its idle memory).
    @Test func aDaemonWithoutFeedsNeverMapsLibcurl() throws {
        let pair = try NamespacePair(index: 57)
        defer { pair.remove() }
        let daemon = try DaemonHarness(namespaces: pair, jail: DaemonHarness.jail(banaction: "nftables-allports"))
        defer { daemon.remove() }
        try daemon.start()
        try daemon.appendFailures(address: "192.0.2.9", count: 3)
        try waitUntil("the ban", timeout: 10) { daemon.logText().contains("Ban 192.0.2.9") }
        let mapped = try daemon.mappings()
        #expect(mapped.contains("libsqlite3"), "the maps are the daemon's")
        #expect(!mapped.contains("libcurl") && !mapped.contains("FoundationNetworking") && !mapped.contains("libssl"))
    }
}
