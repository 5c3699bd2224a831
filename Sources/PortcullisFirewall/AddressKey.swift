import PortcullisFilter

/// Canonical text keys for addresses and networks: what the desired state stores and what is
/// compared with kernel listings. `IPAddress(text)?.description`, so every spelling of one
/// address or network maps to one key.
enum AddressKey {
    /// The canonical key and numeric form of `text`; nil for anything that is not an address.
    ///
    /// Fast path for the common case, a plain dotted-quad IPv4 address: glibc's `inet_pton`
    /// accepts exactly the canonical spelling (four decimal parts, no leading zeros), so the
    /// text is its own key and no `IPAddress` is built.
    static func parse(_ text: String) -> (key: String, network: NumericNetwork)? {
        if text.utf8.allSatisfy({ $0 == UInt8(ascii: ".") || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }),
           let network = NumericNetwork(key: text) {
            return (text, network)
        }
        guard let address = IPAddress(text.trimmingSpaces) else { return nil }
        return (address.description, NumericNetwork(address))
    }

    /// Whether a canonical key is IPv6 (only IPv6 text holds a colon).
    static func isIPv6(_ key: String) -> Bool {
        key.utf8.contains(UInt8(ascii: ":"))
    }

    /// The whitelist entries that are addresses or networks, split by family, canonical, with
    /// entries inside another entry dropped (an nftables interval set refuses overlaps). DNS
    /// names and anything else are skipped: the jail resolves those itself.
    static func whitelist(_ entries: [String]) -> (v4: [String], v6: [String]) {
        let parsed = entries.compactMap { IPAddress($0.trimmingSpaces) }.sorted { $0.prefixLength < $1.prefixLength }
        var kept: [IPAddress] = []
        for address in parsed where !kept.contains(where: { $0.contains(address) }) {
            kept.append(address)
        }
        return (kept.filter { $0.family == .inet4 }.map(\.description), kept.filter { $0.family == .inet6 }.map(\.description))
    }
}
