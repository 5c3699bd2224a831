import Testing
import PortcullisFilter
@testable import PortcullisJail

@Suite struct IgnoreListTests {
    private let noDNS: (String) -> [IPAddress] = { _ in [] }

    private func list(_ entries: [String], ignoreSelf: Bool = false) throws -> IgnoreList {
        try IgnoreList(entries: entries, ignoreSelf: ignoreSelf)
    }

    private func ignored(_ l: IgnoreList, _ id: String, own: [String] = [], dns: [String: [String]] = [:]) -> String? {
        l.ignoredBy(id, selfAddresses: own.compactMap(IPAddress.init), resolve: { name in (dns[name] ?? []).compactMap(IPAddress.init) })
    }

    @Test func ipv4AddressesAndNetworks() throws {
        let l = try list(["127.0.0.1/8", "192.0.2.7", "10.1.0.0/16"])
        #expect(ignored(l, "127.0.0.1") == "127.0.0.0/8")
        #expect(ignored(l, "127.255.1.2") == "127.0.0.0/8")
        #expect(ignored(l, "192.0.2.7") == "192.0.2.7")
        #expect(ignored(l, "192.0.2.8") == nil)
        #expect(ignored(l, "10.1.200.3") == "10.1.0.0/16")
        #expect(ignored(l, "10.2.0.1") == nil)
        // A banned network id inside an ignored network.
        #expect(ignored(l, "10.1.2.0/24") == "10.1.0.0/16")
    }

    @Test func masksAreNetworks() throws {
        let l = try list(["10.0.0.0/255.255.0.0", "172.16.0.0/255.240.0.0"])
        #expect(l.entries == ["10.0.0.0/16", "172.16.0.0/12"])
        #expect(ignored(l, "10.0.99.1") == "10.0.0.0/16")
        #expect(ignored(l, "172.31.255.255") == "172.16.0.0/12")
        #expect(ignored(l, "172.32.0.1") == nil)
    }

    @Test func ipv6() throws {
        let l = try list(["::1", "2001:db8::/32", "[2001:db8:ffff::5]", "fe80::/ffff:ffff:ffff:ffff::"])
        #expect(ignored(l, "::1") == "::1")
        #expect(ignored(l, "2001:db8:1::9") == "2001:db8::/32")
        #expect(ignored(l, "2001:DB8:0:0::1") == "2001:db8::/32")
        #expect(ignored(l, "2001:db9::1") == nil)
        #expect(ignored(l, "fe80::1234") == "fe80::/64")
        // Families never mix.
        #expect(ignored(try list(["0.0.0.0/0"]), "2001:db8::1") == nil)
        #expect(ignored(try list(["::/0"]), "192.0.2.1") == nil)
    }

    @Test func mappedAddressesMatchIPv4Entries() throws {
        let l = try list(["192.0.2.0/24", "198.51.100.7"])
        #expect(ignored(l, "::ffff:192.0.2.200") == "192.0.2.0/24")
        #expect(ignored(l, "::ffff:198.51.100.7") == "198.51.100.7")
        // …and a mapped entry is the IPv4 address.
        let mapped = try list(["::ffff:203.0.113.9"])
        #expect(mapped.entries == ["203.0.113.9"])
        #expect(ignored(mapped, "203.0.113.9") == "203.0.113.9")
    }

    @Test func hostNamesResolveLazily() throws {
        let l = try list(["gateway.example", "10.0.0.0/8", "backup.example."])
        var asked: [String] = []
        let hit = l.match("192.0.2.5", selfAddresses: []) { name in
            asked.append(name)
            return name == "backup.example." ? [IPAddress("192.0.2.5")!] : [IPAddress("192.0.2.4")!]
        }
        #expect(hit == IgnoreMatch(source: .hostName, entry: "backup.example."))
        #expect(hit?.logSource == "dns")
        #expect(asked == ["gateway.example", "backup.example."])
        // Covered by a network before the later name is ever resolved.
        asked = []
        _ = l.match("10.9.9.9", selfAddresses: []) { asked.append($0); return [] }
        #expect(asked == ["gateway.example"])
        #expect(l.hostNames == ["gateway.example", "backup.example."])
    }

    @Test func ownAddressesWithIgnoreSelf() throws {
        let on = try list(["192.0.2.1"], ignoreSelf: true)
        #expect(ignored(on, "203.0.113.5", own: ["127.0.0.1", "203.0.113.5", "::1"]) == "self")
        #expect(on.match("::1", selfAddresses: [IPAddress("::1")!], resolve: noDNS)?.logSource == "ignoreself rule")
        #expect(ignored(on, "203.0.113.6", own: ["203.0.113.5"]) == nil)
        // Own addresses are checked first.
        #expect(ignored(on, "192.0.2.1", own: ["192.0.2.1"]) == "self")
        let off = try list(["192.0.2.1"], ignoreSelf: false)
        #expect(ignored(off, "203.0.113.5", own: ["203.0.113.5"]) == nil)
        #expect(ignored(off, "192.0.2.1", own: ["192.0.2.1"]) == "192.0.2.1")
        #expect(try IgnoreList(entries: []).ignoreSelf)  // fail2ban's default
    }

    @Test func nonAddressIdsAreNeverIgnored() throws {
        let l = try list(["10.0.0.0/8", "alice"])
        var asked = false
        #expect(l.match("alice", selfAddresses: []) { _ in asked = true; return [] } == nil)
        #expect(!asked)
    }

    @Test func entriesPrintLikeFail2ban() throws {
        var l = try list(["192.0.2.1", "127.0.0.1/8", "::1", "host.example", "10.0.0.5/24", "0.0.0.0/0", "198.51.100.1/32"])
        // Networks and names first (in order), then single addresses.
        #expect(l.entries == ["127.0.0.0/8", "host.example", "10.0.0.0/24", "0.0.0.0", "192.0.2.1", "::1", "198.51.100.1"])
        // Duplicates (however spelled) and empty entries are skipped.
        do { let done = try l.add("::ffff:192.0.2.1"); #expect(!done) }
        do { let done = try l.add("127.1.2.3/8"); #expect(!done) }
        do { let done = try l.add("  "); #expect(!done) }
        do { let done = try l.add("203.0.113.0/24"); #expect(done) }
        #expect(l.entries.count == 8)
    }

    @Test func removeMatchesHoweverSpelled() throws {
        var l = try list(["192.0.2.1", "10.0.0.0/8", "host.example"])
        do { let done = l.remove("::ffff:192.0.2.1"); #expect(done) }
        do { let done = l.remove("10.2.3.4/255.0.0.0"); #expect(done) }
        do { let done = l.remove("host.other"); #expect(!done) }
        do { let done = l.remove("not valid!"); #expect(!done) }
        #expect(l.entries == ["host.example"])
        #expect(ignored(l, "192.0.2.1") == nil)
        l.removeAll()
        #expect(l.entries.isEmpty)
    }

    @Test(arguments: [
        ("10.0.0.256", "not a valid IPv4 address"),
        ("1.2.3", "not a valid IPv4 address"),
        ("10.0.0.0/33", "from 0 to 32"),
        ("2001:db8::/129", "from 0 to 128"),
        ("10.0.0.0/abc", "from 0 to 32"),
        ("10.0.0.0/", "from 0 to 32"),
        ("10.0.0.0/255.0.255.0", "not contiguous"),
        ("10.0.0.0/ffff::", "family"),
        ("host.example/24", "is not an IP address"),
        ("192.0.2.1:22", "not a valid IPv6 address"),
        ("2001:db8::zz", "not a valid IPv6 address"),
        ("bad host", "neither"),
        ("a,b", "neither"),
        ("-dash.example", "neither"),
        ("a..b", "neither"),
    ])
    func invalidEntriesAreClearErrors(entry: String, reason: String) {
        do {
            _ = try IgnoreList(entries: ["127.0.0.1", entry], ignoreSelf: true)
            Issue.record("accepted \(entry)")
        } catch {
            #expect(error.option == "ignoreip" && error.value == entry)
            #expect(error.reason.contains(reason), "\(error.reason)")
            #expect(error.description.contains("invalid ignoreip '\(entry)'"))
        }
    }
}

@Suite struct IgnoreCacheTests {
    @Test func settingsFromTheOption() throws {
        let s = try #require(try IgnoreCache.Settings(option: #"key="<F-USER>@<ip>", max-count=1000, max-time=1h"#))
        #expect(s == IgnoreCache.Settings(key: "<F-USER>@<ip>", maxCount: 1000, maxTime: 3600))
        let defaults = try #require(try IgnoreCache.Settings(option: "key=<ip>"))
        #expect(defaults.maxCount == 100 && defaults.maxTime == 300)
        #expect(try IgnoreCache.Settings(option: "") == nil)
        #expect(throws: JailSettingsError.self) { try IgnoreCache.Settings(option: "max-count=5") }
        #expect(throws: JailSettingsError.self) { try IgnoreCache.Settings(option: "key=<ip>, max-count=lots") }
        #expect(throws: JailSettingsError.self) { try IgnoreCache.Settings(option: "key=<ip>, max-time=later") }
    }

    @Test func entriesExpire() {
        var cache = IgnoreCache(settings: .init(key: "<ip>", maxCount: 10, maxTime: 300))
        cache.set("192.0.2.1", ignored: true, now: 0)
        cache.set("192.0.2.2", ignored: false, now: 0)
        #expect(cache.value(for: "192.0.2.1", now: 299) == true)
        #expect(cache.value(for: "192.0.2.2", now: 299) == false)
        #expect(cache.value(for: "192.0.2.3", now: 0) == nil)
        #expect(cache.value(for: "192.0.2.1", now: 300) == nil)
        #expect(cache.count == 1)
    }

    @Test func fullCacheDropsOldestFirst() {
        var cache = IgnoreCache(settings: .init(key: "<ip>", maxCount: 3, maxTime: 100))
        cache.set("a", ignored: true, now: 0)
        cache.set("b", ignored: true, now: 50)
        cache.set("c", ignored: true, now: 60)
        // "a" is expired at 120 and "b" is not: both go (up to and including the first live one).
        cache.set("d", ignored: true, now: 120)
        #expect(cache.value(for: "a", now: 120) == nil)
        #expect(cache.value(for: "b", now: 120) == nil)
        #expect(cache.value(for: "c", now: 120) == true)
        #expect(cache.value(for: "d", now: 120) == true)
        #expect(cache.count == 2)
        // Updating a key keeps its place in line.
        cache.set("c", ignored: false, now: 130)
        cache.set("e", ignored: true, now: 130)
        cache.set("f", ignored: true, now: 130)
        #expect(cache.value(for: "c", now: 130) == nil)
        #expect(cache.value(for: "d", now: 130) == true)
    }

    @Test func staleSlotsDoNotAccumulate() {
        var cache = IgnoreCache(settings: .init(key: "<ip>", maxCount: 1_000_000, maxTime: 1))
        for i in 0..<10_000 {
            cache.set("k\(i)", ignored: true, now: Double(i))
            _ = cache.value(for: "k\(i)", now: Double(i) + 2)
        }
        #expect(cache.count == 0)
    }
}
