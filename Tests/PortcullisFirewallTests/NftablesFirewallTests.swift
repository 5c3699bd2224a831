import Foundation
import PortcullisFirewall
import PortcullisTestSupport
import Testing

/// The nftables backend against real kernel objects in namespaces the tests create.
@Suite(.serialized)
struct NftablesFirewallTests {
    @Test func banBlocksTheScopedPortOnlyAndUnbanRestores() async throws {
        let pair = try NamespacePair(index: 40)
        defer { pair.remove() }
        try pair.startService()
        let firewall = pair.nftablesFirewall()
        let now = epochNow()
        try await firewall.install(ManagedSet(name: "sshd", scope: BlockScope(ports: "2222")))
        #expect(try pair.peerCanReachHost())

        try await firewall.apply(setNamed: "sshd", add: [BanElement(address: pair.peerAddress, expiry: now + 600)], remove: [], now: now)
        #expect(try !pair.peerCanReachHost())
        #expect(try await firewall.kernelElements(ofSetNamed: "sshd") == [pair.peerAddress])

        try await firewall.apply(setNamed: "sshd", add: [], remove: [pair.peerAddress], now: now)
        #expect(try pair.peerCanReachHost())
        #expect(try await firewall.kernelElements(ofSetNamed: "sshd").isEmpty)

        // A ban in a set scoped to other ports leaves port 2222 open.
        try await firewall.install(ManagedSet(name: "web server!", scope: BlockScope(ports: "http,https", protocol: "tcp", blockType: "drop")))
        try await firewall.apply(setNamed: "web server!", add: [BanElement(address: pair.peerAddress)], remove: [], now: now)
        #expect(try pair.peerCanReachHost())
        #expect(try pair.nftRules(chain: "input").contains { $0.contains("dport { 80, 443 }") })
    }

    @Test func whitelistStaysOnTopAndOnlyExemptsItsOwnSet() async throws {
        let pair = try NamespacePair(index: 41)
        defer { pair.remove() }
        try pair.startService()
        let firewall = pair.nftablesFirewall()
        let now = epochNow()
        let whitelist = [pair.peerAddress, "192.0.2.0/24", "192.0.2.7", "2001:db8::/32", "some.host.name", "garbage"]
        try await firewall.install(ManagedSet(name: "sshd", scope: BlockScope(ports: "2222"), whitelist: whitelist))
        try await firewall.apply(setNamed: "sshd", add: [BanElement(address: pair.peerAddress, expiry: now + 600)], remove: [], now: now)
        #expect(try pair.peerCanReachHost())
        #expect(try await firewall.kernelElements(ofSetNamed: "sshd") == [pair.peerAddress])

        // `return`, not `accept`: another set's ban still applies to the whitelisted peer.
        try await firewall.install(ManagedSet(name: "recidive", scope: BlockScope(ports: "")))
        try await firewall.apply(setNamed: "recidive", add: [BanElement(address: pair.peerAddress)], remove: [], now: now)
        #expect(try !pair.peerCanReachHost())
        try await firewall.uninstall(setNamed: "recidive")
        #expect(try pair.peerCanReachHost())

        // Dropping the whitelist entry (re-install) lets the ban bite.
        try await firewall.install(ManagedSet(name: "sshd", scope: BlockScope(ports: "2222"), whitelist: []))
        #expect(try !pair.peerCanReachHost())
        let chain = try pair.nftRules(chain: "input")
        #expect(chain.count == 1)
    }

    @Test func hundredThousandElementsInOneBatch() async throws {
        let pair = try NamespacePair(index: 42)
        defer { pair.remove() }
        let firewall = pair.nftablesFirewall()
        let now = epochNow()
        let elements = generatedElements(now: now)
        try await firewall.install(ManagedSet(name: "feed-krawl", scope: BlockScope(ports: "", protocol: "all", blockType: "drop")))
        let applyTime = try await timed {
            try await firewall.apply(setNamed: "feed-krawl", add: elements, remove: [], now: now)
        }
        // Listed right after the load, the kernel's hash set may still be growing; a dump walking
        // it during the resize can repeat some elements and miss others (rhashtable walks make no
        // promise then). The set is complete once a listing shows every element once.
        var kernel: [String] = []
        try await eventually("a listing with every element once", timeout: 10) {
            kernel = try await firewall.kernelElements(ofSetNamed: "feed-krawl")
            return kernel.count == 100_000 && Set(kernel).count == 100_000
        }
        #expect(Set(kernel).count == 100_000)

        // The same elements loaded by nft directly from a file, for comparison.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Same layout: hosts in hash sets, networks in interval sets.
        var script = "table inet direct {\n"
        for (set, type, flags) in [("h4", "ipv4_addr", "timeout"), ("h6", "ipv6_addr", "timeout"),
                                   ("n4", "ipv4_addr", "interval, timeout"), ("n6", "ipv6_addr", "interval, timeout")] {
            script += " set \(set) { type \(type); flags \(flags); }\n"
        }
        script += "}\n"
        func kind(_ element: BanElement) -> String {
            (element.address.contains("/") ? "n" : "h") + (element.address.contains(":") ? "6" : "4")
        }
        for set in ["h4", "h6", "n4", "n6"] {
            let list = elements.filter { kind($0) == set }
            script += "add element inet direct \(set) { "
            script += list.map { $0.expiry == nil ? $0.address : "\($0.address) timeout 3600s" }.joined(separator: ", ")
            script += " }\n"
        }
        let file = directory.url.appendingPathComponent("direct.nft")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let directTime = try await timed { try pair.inHost(["nft", "-f", file.path]) }

        let fullCheck = try await firewall.reconcile(full: true, now: epochNow()).get()
        let cheapCheck = try await firewall.reconcile(full: false, now: epochNow()).get()
        print("100k elements: apply \(applyTime) s, direct nft -f \(directTime) s, ratio \(applyTime / directTime); "
              + "full reconcile (no-op) \(fullCheck.duration) s, structural \(cheapCheck.duration) s")
        #expect(applyTime < 2)
        #expect(applyTime / directTime < 3)
        #expect(!fullCheck.repaired && !cheapCheck.repaired)
    }

    @Test func reconcileRestoresAFlushedRulesetOnceAndWithoutDuplicates() async throws {
        let pair = try NamespacePair(index: 43)
        defer { pair.remove() }
        try pair.startService()
        let firewall = pair.nftablesFirewall()
        let now = epochNow()
        try await firewall.install(ManagedSet(name: "sshd", scope: BlockScope(ports: "2222"), whitelist: ["192.0.2.1"]))
        try await firewall.install(ManagedSet(name: "feed", scope: BlockScope(protocol: "all")))
        try await firewall.apply(setNamed: "sshd", add: [BanElement(address: pair.peerAddress, expiry: now + 600)], remove: [], now: now)
        try await firewall.apply(setNamed: "feed", add: generatedElements(now: now), remove: [], now: now)
        let chainBefore = try pair.nftRules(chain: "input")
        #expect(try !pair.peerCanReachHost())

        try pair.inHost(["nft", "flush", "ruleset"])
        #expect(try pair.peerCanReachHost())
        let report = try await firewall.reconcile(full: false, now: epochNow()).get()
        print("repair after nft flush ruleset: \(report)")
        #expect(report.repaired && report.restoredStructure && report.restoredElements == 100_001)
        #expect(report.duration < 2)
        #expect(try !pair.peerCanReachHost())
        #expect(try await firewall.kernelElements(ofSetNamed: "feed").count == 100_000)

        let again = try await firewall.reconcile(full: true, now: epochNow()).get()
        #expect(!again.repaired)
        #expect(try pair.nftRules(chain: "input") == chainBefore)
        let sshdChain = try pair.inHost(["nft", "list", "table", "inet", "portcullis"]).stdout
            .split(separator: "\n").filter { $0.contains("saddr @") }
        #expect(sshdChain.count == 12)

        // An element deleted behind our back comes back with a full check only.
        let banSet = try #require(try pair.ipv4HostBanSet(of: "sshd"))
        try pair.inHost(["nft", "delete", "element", "inet", "portcullis", banSet, "{ \(pair.peerAddress) }"])
        #expect(try !(await firewall.reconcile(full: false, now: epochNow()).get().repaired))
        let full = try await firewall.reconcile(full: true, now: epochNow()).get()
        #expect(full.restoredElements == 1 && !full.restoredStructure)
        #expect(try await firewall.kernelElements(ofSetNamed: "sshd") == [pair.peerAddress])
    }

    @Test func elementsExpireInTheKernelAndExpiredOnesAreNotRestored() async throws {
        let pair = try NamespacePair(index: 44)
        defer { pair.remove() }
        let firewall = pair.nftablesFirewall()
        let now = epochNow()
        try await firewall.install(ManagedSet(name: "sshd"))
        try await firewall.apply(setNamed: "sshd", add: [
            BanElement(address: "192.0.2.10", expiry: now + 2),
            BanElement(address: "2001:db8::10", expiry: now + 2),
            BanElement(address: "192.0.2.20"),
            BanElement(address: "192.0.2.30", expiry: now - 1),
        ], remove: [], now: now)
        #expect(try await Set(firewall.kernelElements(ofSetNamed: "sshd")) == ["192.0.2.10", "2001:db8::10", "192.0.2.20"])
        try await eventually("the kernel drops the expired elements", timeout: 6) {
            try await firewall.kernelElements(ofSetNamed: "sshd") == ["192.0.2.20"]
        }
        try pair.inHost(["nft", "flush", "ruleset"])
        _ = try await firewall.reconcile(full: true, now: epochNow()).get()
        #expect(try await firewall.kernelElements(ofSetNamed: "sshd") == ["192.0.2.20"])
        #expect(await firewall.elements(ofSetNamed: "sshd") == ["192.0.2.20"])
    }

    @Test func nestedNetworksStayOutOfTheIntervalSetUntilTheirCoverGoes() async throws {
        let pair = try NamespacePair(index: 45)
        defer { pair.remove() }
        let firewall = pair.nftablesFirewall()
        let now = epochNow()
        try await firewall.install(ManagedSet(name: "sshd"))
        try await firewall.apply(setNamed: "sshd", add: [BanElement(address: "198.51.100.7"), BanElement(address: "198.51.100.128/25")],
                                 remove: [], now: now)
        try await firewall.apply(setNamed: "sshd", add: [BanElement(address: "198.51.100.0/24"), BanElement(address: "::ffff:198.51.100.9")],
                                 remove: [], now: now)
        // Hosts sit in the hash set beside their network; the /25 inside the /24 leaves the interval set.
        #expect(try await Set(firewall.kernelElements(ofSetNamed: "sshd")) == ["198.51.100.7", "198.51.100.9", "198.51.100.0/24"])
        try await firewall.apply(setNamed: "sshd", add: [], remove: ["198.51.100.0/24"], now: now)
        #expect(try await Set(firewall.kernelElements(ofSetNamed: "sshd")) == ["198.51.100.7", "198.51.100.9", "198.51.100.128/25"])
        #expect(try !(await firewall.reconcile(full: true, now: now).get().repaired))
        #expect(await Set(firewall.elements(ofSetNamed: "sshd")) == ["198.51.100.7", "198.51.100.9", "198.51.100.128/25"])
    }

    /// Host elements go through netlink (in the namespace `ip netns exec NS nft` names): an
    /// unban of an element someone else already deleted is no error, and changes nothing else.
    @Test func removingAHostTheKernelNoLongerHoldsIsNoError() async throws {
        let pair = try NamespacePair(index: 49)
        defer { pair.remove() }
        let firewall = pair.nftablesFirewall()
        let now = epochNow()
        try await firewall.install(ManagedSet(name: "sshd"))
        try await firewall.apply(setNamed: "sshd", add: [BanElement(address: "192.0.2.40"), BanElement(address: "192.0.2.41", expiry: now + 600),
                                                        BanElement(address: "2001:db8::40")], remove: [], now: now)
        #expect(try await Set(firewall.kernelElements(ofSetNamed: "sshd")) == ["192.0.2.40", "192.0.2.41", "2001:db8::40"])
        let listing = try pair.inHost(["nft", "list", "table", "inet", "portcullis"]).stdout
        #expect(listing.contains("192.0.2.41 timeout 10m") || listing.contains("192.0.2.41 timeout 9m"), "\(listing)")
        let set = try #require(try pair.ipv4HostBanSet(of: "sshd"))
        try pair.inHost(["nft", "delete", "element", "inet", "portcullis", set, "{ 192.0.2.40 }"])
        try await firewall.apply(setNamed: "sshd", add: [], remove: ["192.0.2.40", "2001:db8::40"], now: now)
        #expect(try await firewall.kernelElements(ofSetNamed: "sshd") == ["192.0.2.41"])
        #expect(await firewall.elements(ofSetNamed: "sshd") == ["192.0.2.41"])
    }

    /// A prolonged ban: its host added again with a later expiry (or removed and added again in
    /// one apply) gets the new timeout — adding an element the set holds keeps the old one in the
    /// kernel — and is never missing in between.
    @Test(arguments: [true, false])
    func removingAndAddingAHostInOneApplyRenewsItsTimeout(removedFirst: Bool) async throws {
        let pair = try NamespacePair(index: 49)
        defer { pair.remove() }
        let firewall = pair.nftablesFirewall()
        let now = epochNow()
        try await firewall.install(ManagedSet(name: "sshd"))
        try await firewall.apply(setNamed: "sshd", add: [BanElement(address: "192.0.2.50", expiry: now + 60)], remove: [], now: now)
        var listing = try pair.inHost(["nft", "list", "table", "inet", "portcullis"]).stdout
        #expect(listing.contains("192.0.2.50 timeout 1m") || listing.contains("192.0.2.50 timeout 59s"), "\(listing)")
        try await firewall.apply(setNamed: "sshd", add: [BanElement(address: "192.0.2.50", expiry: now + 7200)],
                                 remove: removedFirst ? ["192.0.2.50"] : [], now: now)
        listing = try pair.inHost(["nft", "list", "table", "inet", "portcullis"]).stdout
        #expect(listing.contains("192.0.2.50 timeout 2h") || listing.contains("192.0.2.50 timeout 1h59m"), "\(listing)")
        #expect(try await firewall.kernelElements(ofSetNamed: "sshd") == ["192.0.2.50"])
    }
}
