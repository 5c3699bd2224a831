import Foundation
import PortcullisConfig
import PortcullisFirewall

/// The native set firewalls in use, shared by every jail and feed that bans through them: one
/// `table inet portcullis` (or one family of ipsets) holds every jail's sets, so one reconciler
/// pass checks them all and one transaction repairs them.
///
/// An action file selects a native backend with `native = nftables` or `native = ipset` in its
/// `[Init]` (Portcullis' `portcullis-nftables.conf` and `portcullis-ipset.conf`); the
/// commands come from its options `nftables`, or `ipset`, `iptables` and `ip6tables`, as the
/// stock actions name them.
final class NativeFirewalls: @unchecked Sendable {
    private let lock = NSLock()
    private var firewalls: [String: any SetFirewall] = [:]
    private var order: [String] = []
    /// Ruleset changes from the kernel, read by the daemon's reconciler; the firewalls pause it
    /// around their own large transactions.
    let monitor = NetlinkRulesetMonitor()

    /// The backend an action definition asks for, or nil for a shell action.
    static func backend(of definition: ActionDefinition) -> String? {
        definition.initOptions["native"].map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    /// The shared firewall for a native action, created at its first use.
    func firewall(for definition: ActionDefinition) throws(ServerError) -> (any SetFirewall)? {
        guard let backend = Self.backend(of: definition) else { return nil }
        do {
            return try firewall(backend: backend) { definition.initOptions[$0] ?? definition.options[$0] }
        } catch {
            throw .configuration("\(definition.file): \(error)")
        }
    }

    /// The shared firewall for a feed: `backend = portcullis-nftables` or `portcullis-ipset`,
    /// with the commands' defaults.
    func firewall(forFeed feed: FeedDefinition) throws(ServerError) -> any SetFirewall {
        let backend = feed.backend.hasPrefix("portcullis-") ? String(feed.backend.dropFirst("portcullis-".count)) : feed.backend
        return try firewall(backend: backend) { _ in nil }
    }

    private func firewall(backend: String, option value: (String) -> String?) throws(ServerError) -> any SetFirewall {
        func option(_ key: String, _ fallback: String) -> [String] {
            (value(key) ?? fallback).split(separator: " ").map(String.init)
        }
        switch backend {
        case "nftables":
            let nft = option("nftables", "nft"), table = option("table", "portcullis").first ?? "portcullis"
            return shared("nftables \(table) \(nft)") { NftablesSetFirewall(table: table, nft: nft, monitor: monitor) }
        case "ipset":
            let ipset = option("ipset", "ipset"), iptables = option("iptables", "iptables"), ip6tables = option("ip6tables", "ip6tables")
            let prefix = option("prefix", "portcullis").first ?? "portcullis"
            return shared("ipset \(prefix) \(ipset) \(iptables) \(ip6tables)") {
                IpsetSetFirewall(prefix: prefix, ipset: ipset, iptables: iptables, ip6tables: ip6tables)
            }
        default:
            throw .configuration("native = \(backend): unknown native backend (nftables or ipset)")
        }
    }

    private func shared(_ key: String, make: () -> any SetFirewall) -> any SetFirewall {
        lock.withLock {
            if let existing = firewalls[key] { return existing }
            let created = make()
            firewalls[key] = created
            order.append(key)
            return created
        }
    }

    /// Every firewall created so far, in creation order.
    var all: [any SetFirewall] { lock.withLock { order.compactMap { firewalls[$0] } } }
}
