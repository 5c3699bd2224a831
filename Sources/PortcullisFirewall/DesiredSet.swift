
/// The desired state of one managed set: its definition, resolved scope and whitelist, and every
/// element with its absolute expiry (`.infinity` = permanent).
///
/// Compact for a million elements: one `[String: Double]` keyed by canonical text (IPv4 and
/// most IPv6 keys fit Swift's 15-byte inline strings), plus an index of the network elements by
/// number so "is this address inside a banned network?" costs one hash lookup per distinct
/// network length present rather than a scan.
struct DesiredSet: Sendable {
    var definition: ManagedSet
    var scope: ResolvedScope
    var whitelist4: [String]
    var whitelist6: [String]
    private(set) var elements: [String: Double] = [:]
    private var networks = NetworkIndex()

    init(_ definition: ManagedSet) throws(FirewallError) {
        self.definition = definition
        scope = try ResolvedScope(definition.scope)
        (whitelist4, whitelist6) = AddressKey.whitelist(definition.whitelist)
    }

    /// `definition` with the elements of `existing` (an install of a known set replaces its
    /// scope and whitelist only).
    static func defining(_ definition: ManagedSet, keeping existing: DesiredSet?) throws(FirewallError) -> DesiredSet {
        var desired = try DesiredSet(definition)
        if let existing {
            desired.elements = existing.elements
            desired.networks = existing.networks
        }
        return desired
    }

    var count: Int { elements.count }

    func expiry(of key: String) -> Double? { elements[key] }

    mutating func reserveCapacity(_ count: Int) {
        elements.reserveCapacity(count)
    }

    /// Adds `key` or changes its expiry; returns the expiry it had (nil: it was not there).
    @discardableResult
    mutating func insert(_ key: String, network: NumericNetwork, expiry: Double) -> Double? {
        let previous = elements.updateValue(expiry, forKey: key)
        if previous == nil, !network.isHost {
            networks.insert(network, key: key)
        }
        return previous
    }

    @discardableResult
    mutating func remove(_ key: String) -> Bool {
        guard elements.removeValue(forKey: key) != nil else { return false }
        if key.utf8.contains(UInt8(ascii: "/")), let network = NumericNetwork(key: key) { networks.remove(network) }
        return true
    }

    mutating func removeAll() {
        elements = [:]
        networks.removeAll()
    }

    /// Drops elements whose expiry is not after `now`; how many went.
    @discardableResult
    mutating func pruneExpired(now: Double) -> Int {
        let expired = elements.filter { $0.value <= now }.map(\.key)
        for key in expired { remove(key) }
        return expired.count
    }

    /// A live desired network strictly containing the network `network`, if any: such a network
    /// is not put into an nftables interval set (it would overlap). Hosts live in hash sets,
    /// where nothing overlaps: nil.
    func cover(of network: NumericNetwork, now: Double) -> String? {
        guard !networks.isEmpty, !network.isHost else { return nil }
        return networks.covers(of: network).first { (elements[$0] ?? 0) > now }
    }

    /// Whether any network is desired at all (else no element covers another).
    var holdsNetworks: Bool { !networks.isEmpty }

    /// Live hosts, and live networks not inside another live network: what the nftables sets hold.
    func visible(now: Double) -> [(key: String, expiry: Double)] {
        var out: [(key: String, expiry: Double)] = []
        out.reserveCapacity(elements.count)
        for (key, expiry) in elements where expiry > now {
            if holdsNetworks, key.utf8.contains(UInt8(ascii: "/")), let network = NumericNetwork(key: key),
               cover(of: network, now: now) != nil { continue }
            out.append((key, expiry))
        }
        return out
    }

    /// Live elements, all of them (ipset's hash:net holds nested networks).
    func live(now: Double) -> [(key: String, expiry: Double)] {
        elements.filter { $0.value > now }.map { ($0.key, $0.value) }
    }
}

/// Remaining-time text for kernel element timeouts.
enum Remaining {
    /// nftables keeps timeouts in u32 milliseconds (about 49.7 days).
    static let nftablesLimitMilliseconds = 4_294_967_000
    /// ipset's largest timeout in seconds.
    static let ipsetLimitSeconds = 2_147_483

    /// Milliseconds left, rounded up (the kernel never lets a ban lapse before its expiry);
    /// nil = permanent (no expiry, or longer than nftables can count: the daemon's unban or a
    /// full reconcile removes it).
    static func nftablesMilliseconds(expiry: Double, now: Double) -> Int? {
        guard expiry.isFinite else { return nil }
        let milliseconds = ((expiry - now) * 1000).rounded(.up)
        guard milliseconds <= Double(nftablesLimitMilliseconds) else { return nil }
        return max(1, Int(milliseconds))
    }

    /// ipset seconds left, rounded up; 0 = permanent (likewise).
    static func ipsetSeconds(expiry: Double, now: Double) -> Int {
        guard expiry.isFinite else { return 0 }
        let seconds = (expiry - now).rounded(.up)
        guard seconds <= Double(ipsetLimitSeconds) else { return 0 }
        return max(1, Int(seconds))
    }
}
