import Foundation
import PortcullisFirewall
import PortcullisTestSupport

/// Firewalls driving a test's own namespace, never the host's.
extension NamespacePair {
    func inHostPrefix(_ program: String) -> [String] {
        ["ip", "netns", "exec", host, program]
    }

    func nftablesFirewall() -> NftablesSetFirewall {
        NftablesSetFirewall(nft: inHostPrefix("nft"))
    }

    /// The kernel name of the IPv4 host set of our table's managed set `name` (`pc-sshd-…-b4`).
    func ipv4HostBanSet(of name: String) throws -> String? {
        let sets = try inHost(["nft", "-t", "list", "sets", "inet"]).stdout
        return sets.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            return words.count >= 2 && words[0].hasSuffix("set") && words[1].hasPrefix("pc-\(name)") && words[1].hasSuffix("-b4")
                ? String(words[1]) : nil
        }.first
    }

    func ipsetFirewall() -> IpsetSetFirewall {
        IpsetSetFirewall(ipset: inHostPrefix("ipset"), iptables: inHostPrefix("iptables"), ip6tables: inHostPrefix("ip6tables"))
    }

    /// Rule lines of one chain of our nftables table (declarations and braces left out).
    func nftRules(chain: String) throws -> [String] {
        try inHost(["nft", "list", "chain", "inet", "portcullis", chain]).stdout
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("table") && !$0.hasPrefix("chain") && !$0.hasPrefix("type") && $0 != "}" }
    }

    /// Every `-A` rule line of `iptables -S` (or ip6tables).
    func iptablesRules(_ program: String = "iptables") throws -> [String] {
        try inHost([program, "-S"]).stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("-A ") }
    }
}

/// Seconds since the epoch: the firewall's `now`.
func epochNow() -> Double { Date().timeIntervalSince1970 }

/// Seconds `body` took.
func timed(_ body: () async throws -> Void) async rethrows -> Double {
    let start = Date()
    try await body()
    return Date().timeIntervalSince(start)
}

/// 100,000 distinct, non-overlapping elements: 99,000 IPv4 hosts, 500 IPv4 /24 networks, 250
/// IPv6 /64 networks and 250 IPv6 hosts; every other one permanent.
func generatedElements(now: Double) -> [BanElement] {
    var out: [BanElement] = []
    out.reserveCapacity(100_000)
    for i in 0..<99_000 {
        out.append(BanElement(address: "10.\(1 + i / 65536).\((i / 256) % 256).\(i % 256)", expiry: i % 2 == 0 ? now + 3600 : nil))
    }
    for k in 0..<500 { out.append(BanElement(address: "10.\(100 + k / 256).\(k % 256).0/24", expiry: now + 7200)) }
    for k in 0..<250 { out.append(BanElement(address: "2001:db8:0:\(String(k, radix: 16))::/64", expiry: nil)) }
    for k in 0..<250 { out.append(BanElement(address: "2001:db8:1::\(String(k + 1, radix: 16))", expiry: now + 3600)) }
    return out
}

/// Counts what a stream yields, for tests awaiting signals.
actor SignalCounter {
    private(set) var count = 0
    func increment() { count += 1 }
    func reset() { count = 0 }
}
