import Testing
import Foundation
@testable import PortcullisConfig
import PortcullisTestSupport

/// `[feed-NAME]` sections: read from the jail unit, not jails, errors at file:line.
@Suite struct FeedConfigTests {
    /// A minimal tree: `jail.conf` with `[DEFAULT]` and one jail, plus `jail.d/<file>` holding `feeds`.
    func tree(_ feeds: String, defaults: String = "ignoreip = 127.0.0.1/8 ::1\nenabled = false\nbantime = 10m\nprotocol = tcp\n",
              file: String = "krawl.local") throws -> TemporaryDirectory {
        let tmp = try TemporaryDirectory()
        try tmp.write("jail.conf", "[DEFAULT]\n\(defaults)\n[sshd]\nport = ssh\n")
        try tmp.write("jail.d/\(file)", feeds)
        return tmp
    }

    func error(_ feeds: String) throws -> ConfigError? {
        let tmp = try tree(feeds)
        defer { tmp.remove() }
        let reader = try JailsReader(configDirectory: tmp.path)
        guard case .failure(let error)? = reader.readFeeds().first?.result else { return nil }
        #expect(error.file == tmp.path + "/jail.d/krawl.local")
        return error
    }

    @Test func krawlFeedIsReadWithInheritedIgnoreIP() throws {
        let tmp = try tree("""
            [DEFAULT]
            krawl = https://krawl.example.org/dash

            [feed-krawl]
            url = %(krawl)s/api/get_banlist?fwtype=raw
            interval = 10m
            bantime = 30d
            categories = scanner, bruteforce
            """)
        defer { tmp.remove() }
        let reader = try JailsReader(configDirectory: tmp.path)
        #expect(reader.jailNames == ["sshd"])
        #expect(reader.feedNames == ["feed-krawl"])
        let feed = try reader.feed(named: "feed-krawl")
        #expect(feed.source == .url("https://krawl.example.org/dash/api/get_banlist?fwtype=raw&categories=scanner,bruteforce"))
        #expect(feed.interval == 600)
        #expect(feed.banTime == 30 * 86400)
        #expect(feed.timeout == 30)
        #expect(feed.categories == ["scanner", "bruteforce"])
        #expect(feed.ignoreIP == ["127.0.0.1/8", "::1"])
        // [DEFAULT]'s enabled = false, protocol = tcp belong to jails, not feeds.
        #expect(feed.enabled)
        #expect(feed.protocol == "all")
        #expect(feed.ports == "")
        #expect(feed.blockType == "drop")
        #expect(feed.backend == "portcullis-nftables")
        #expect(feed.file == tmp.path + "/jail.d/krawl.local")
        #expect(feed.line == 5)
        #expect(try reader.enabledFeeds().map(\.name) == ["feed-krawl"])
    }

    @Test func defaultsAndOwnSettings() throws {
        let tmp = try tree("""
            [feed-local]
            path = /var/lib/krawl/malicious_ips.txt
            port = 22,80
            protocol = TCP
            blocktype = reject
            enabled = false
            [feed-export]
            url = http://10.0.0.5:8080/api/export-ips?fwtype=raw&categories=crawler
            categories = scanner
            timeout = 5
            """, defaults: "banaction = portcullis-ipset[blocktype=drop]\n")
        defer { tmp.remove() }
        let reader = try JailsReader(configDirectory: tmp.path)
        let local = try reader.feed(named: "feed-local")
        #expect(local.source == .path("/var/lib/krawl/malicious_ips.txt"))
        #expect(local.interval == 300 && local.banTime == -1)
        #expect(local.ports == "22,80" && local.protocol == "tcp" && local.blockType == "reject")
        #expect(local.backend == "portcullis-ipset")
        #expect(!local.enabled)
        let export = try reader.feed(named: "feed-export")
        // An explicit categories= in the URL wins.
        #expect(export.source == .url("http://10.0.0.5:8080/api/export-ips?fwtype=raw&categories=crawler"))
        #expect(export.timeout == 5)
        #expect(try reader.enabledFeeds().map(\.name) == ["feed-export"])
    }

    @Test func errorsNameFileAndLine() throws {
        let both = try #require(try error("[feed-x]\nurl = http://a/\npath = /tmp/list\n"))
        #expect(both.line == 3 && both.message.contains("both url and path"))
        let neither = try #require(try error("[feed-x]\ninterval = 5m\n"))
        #expect(neither.line == 2 && neither.message.contains("needs a source"))
        let scheme = try #require(try error("[feed-x]\n\nurl = ftp://host/list\n"))
        #expect(scheme.line == 3 && scheme.message.contains("not an http:// or https:// URL"))
        let interval = try #require(try error("[feed-x]\nurl = http://a/\ninterval = often\n"))
        #expect(interval.line == 3 && interval.message.contains("invalid time abbreviation 'often'"))
        let relative = try #require(try error("[feed-x]\npath = list.txt\n"))
        #expect(relative.line == 2 && relative.message.contains("must be absolute"))
        let backend = try #require(try error("[feed-x]\nurl = http://a/\nbackend = iptables\n"))
        #expect(backend.line == 3 && backend.message.contains("portcullis-nftables"))
        let interpolation = try #require(try error("[feed-x]\nurl = %(nowhere)s/list\n"))
        #expect(interpolation.line == 2)
    }

    @Test func stockTreeWithAFeedReads() throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let dir = tmp.url.appendingPathComponent("fail2ban")
        try FileManager.default.copyItem(at: try DebianFail2ban.configDirectory(), to: dir)
        try tmp.write("fail2ban/jail.d/krawl.conf", "[feed-krawl]\nurl = http://krawl.lan/api/get_banlist?fwtype=raw\n")
        var reader = try JailsReader(configDirectory: dir.path)
        #expect(!reader.jailNames.contains("feed-krawl"))
        #expect(reader.jailNames.contains("sshd"))
        #expect(reader.readJails(forceEnable: true).allSatisfy { (try? $0.result.get()) != nil })
        let feed = try #require(try reader.enabledFeeds().first)
        #expect(feed.name == "feed-krawl")
        // Stock [DEFAULT]: enabled = false, bantime = 10m, protocol = tcp, banaction = iptables-multiport.
        #expect(feed.enabled && feed.banTime == -1 && feed.protocol == "all" && feed.ports == "")
        #expect(feed.backend == "portcullis-nftables")
    }
}
