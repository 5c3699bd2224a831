import PortcullisFilter

/// The desired state of one managed set: its definition, resolved scope and whitelist, and every
/// element with its absolute expiry (`.infinity` = permanent).
///
/// Compact for a million elements: one `[String: Double]` keyed by canonical text (IPv4 and
/// most IPv6 keys fit Swift's 15-byte inline strings), plus a count of network elements per
/// prefix length so "is this address inside a banned network?" costs one lookup per distinct
/// network length present rather than a scan.
struct DesiredSet: Sendable {
    var definition: ManagedSet
    var scope: ResolvedScope
    var whitelist4: [String]
    var whitelist6: [String]
    private(set) var elements: [String: Double] = [:]
    /// Networks (not hosts) per family and prefix length: key `family * 256 + length`.
    private var networkLengths: [Int: Int] = [:]

    init(_ definition: ManagedSet) throws(FirewallError) {
        self.definition = definition
        scope = try ResolvedScope(definition.scope)
        (whitelist4, whitelist6) = AddressKey.whitelist(definition.whitelist)
    }

    /// Replaces definition, scope and whitelist; elements stay.
    mutating func redefine(_ definition: ManagedSet) throws(FirewallError) {
        let elements = self.elements, lengths = networkLengths
        self = try DesiredSet(definition)
        self.elements = elements
        networkLengths = lengths
    }

    var count: Int { elements.count }

    func expiry(of key: String) -> Double? { elements[key] }

    mutating func insert(_ key: String, address: IPAddress, expiry: Double) {
        if elements.updateValue(expiry, forKey: key) == nil, !address.isHost {
            networkLengths[Self.lengthKey(address), default: 0] += 1
        }
    }

    @discardableResult
    mutating func remove(_ key: String) -> Bool {
        guard elements.removeValue(forKey: key) != nil else { return false }
        if let address = Self.networkAddress(key) {
            let lengthKey = Self.lengthKey(address)
            networkLengths[lengthKey, default: 1] -= 1
            if networkLengths[lengthKey] == 0 { networkLengths[lengthKey] = nil }
        }
        return true
    }

    mutating func removeAll() {
        elements = [:]
        networkLengths = [:]
    }

    /// Drops elements whose expiry is not after `now`; how many went.
    @discardableResult
    mutating func pruneExpired(now: Double) -> Int {
        let expired = elements.filter { $0.value <= now }.map(\.key)
        for key in expired { remove(key) }
        return expired.count
    }

    /// A live desired network strictly containing `address`, if any: such an element is not put
    /// into an nftables interval set (it would overlap).
    func cover(of address: IPAddress, now: Double) -> String? {
        guard !networkLengths.isEmpty else { return nil }
        let family = address.family == .inet4 ? 4 : 6
        for (lengthKey, _) in networkLengths where lengthKey / 256 == family {
            let length = lengthKey % 256
            guard length < address.prefixLength, let network = AddressKey.network(of: address, prefixLength: length),
                  let expiry = elements[network], expiry > now else { continue }
            return network
        }
        return nil
    }

    /// Whether any network is desired at all (else no element covers another).
    var holdsNetworks: Bool { !networkLengths.isEmpty }

    /// Live elements not inside another live element: what an nftables interval set holds.
    func visible(now: Double) -> [(key: String, expiry: Double)] {
        var out: [(key: String, expiry: Double)] = []
        out.reserveCapacity(elements.count)
        for (key, expiry) in elements where expiry > now {
            if holdsNetworks, let address = IPAddress(key), cover(of: address, now: now) != nil { continue }
            out.append((key, expiry))
        }
        return out
    }

    /// Live elements, all of them (ipset's hash:net holds nested networks).
    func live(now: Double) -> [(key: String, expiry: Double)] {
        elements.filter { $0.value > now }.map { ($0.key, $0.value) }
    }

    private static func lengthKey(_ address: IPAddress) -> Int {
        (address.family == .inet4 ? 4 : 6) * 256 + address.prefixLength
    }

    private static func networkAddress(_ key: String) -> IPAddress? {
        guard key.utf8.contains(UInt8(ascii: "/")) else { return nil }
        return IPAddress(key)
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
