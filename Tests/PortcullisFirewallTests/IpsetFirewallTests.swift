import Foundation
import PortcullisFirewall
import PortcullisTestSupport
import Testing

/// The ipset + iptables backend against real kernel objects in a namespace the test creates.
@Suite(.serialized)
struct IpsetFirewallTests {
    @Test func banWhitelistAndRepairAfterTheRulesAndSetsAreGone() async throws {
        let pair = try NamespacePair(index: 46)
        defer { pair.remove() }
        try pair.startService()
        let firewall = pair.ipsetFirewall()
        let now = epochNow()
        let sshd = ManagedSet(name: "sshd", scope: BlockScope(ports: "2222,ssh"))
        try await firewall.install(sshd)
        try await firewall.apply(setNamed: "sshd", add: [
            BanElement(address: pair.peerAddress, expiry: now + 600), BanElement(address: "2001:db8::/64"),
            BanElement(address: "192.0.2.0/24", expiry: now + 60),
        ], remove: [], now: now)
        #expect(try !pair.peerCanReachHost())
        #expect(try await Set(firewall.kernelElements(ofSetNamed: "sshd")) == [pair.peerAddress, "2001:db8::/64", "192.0.2.0/24"])

        // Whitelist on top: RETURN before the set match.
        try await firewall.install(ManagedSet(name: "sshd", scope: sshd.scope, whitelist: ["\(pair.peerAddress)/32", "example.org"]))
        #expect(try pair.peerCanReachHost())
        try await firewall.install(sshd)
        #expect(try !pair.peerCanReachHost())
        let rules4 = try pair.iptablesRules(), rules6 = try pair.iptablesRules("ip6tables")
        #expect(rules4.count == 3 && rules6.count == 3)
        #expect(rules4.first == "-A INPUT -j portcullis")

        // Rules flushed and chains deleted: a structural check restores them.
        try pair.inHost(["iptables", "-F"])
        try pair.inHost(["iptables", "-X"])
        #expect(try pair.peerCanReachHost())
        let rulesRepair = try await firewall.reconcile(full: false, now: epochNow()).get()
        #expect(rulesRepair.restoredStructure && rulesRepair.duration < 2)
        #expect(try !pair.peerCanReachHost())
        #expect(try pair.iptablesRules() == rules4)

        // Rules and sets gone: sets recreated, every element back.
        for program in ["iptables", "ip6tables"] {
            try pair.inHost([program, "-F"])
            try pair.inHost([program, "-X"])
        }
        try pair.inHost(["ipset", "destroy"])
        let setRepair = try await firewall.reconcile(full: false, now: epochNow()).get()
        print("ipset repair: \(setRepair)")
        #expect(setRepair.restoredElements == 3 && setRepair.duration < 2)
        #expect(try !pair.peerCanReachHost())
        #expect(try await Set(firewall.kernelElements(ofSetNamed: "sshd")) == [pair.peerAddress, "2001:db8::/64", "192.0.2.0/24"])
        #expect(try pair.iptablesRules() == rules4 && pair.iptablesRules("ip6tables") == rules6)
        #expect(try !(await firewall.reconcile(full: true, now: epochNow()).get().repaired))

        // A deleted element comes back with the full check.
        let setName = try #require(try pair.inHost(["ipset", "list", "-n"]).stdout.split(separator: "\n").first { $0.hasSuffix("-4") })
        try pair.inHost(["ipset", "del", String(setName), pair.peerAddress])
        #expect(try pair.peerCanReachHost())
        let full = try await firewall.reconcile(full: true, now: epochNow()).get()
        #expect(full.restoredElements == 1)
        #expect(try !pair.peerCanReachHost())

        try await firewall.uninstall(setNamed: "sshd")
        #expect(try pair.iptablesRules().isEmpty && pair.inHost(["ipset", "list", "-n"]).stdout.isEmpty)
        #expect(try pair.peerCanReachHost())
    }
}
