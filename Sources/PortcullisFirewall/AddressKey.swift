import PortcullisFilter

/// Canonical text keys for addresses and networks: what the desired state stores and what is
/// compared with kernel listings. `IPAddress(text)?.description`, so every spelling of one
/// address or network maps to one key.
enum AddressKey {
    /// The canonical key and parsed address of `text`; nil for anything that is not an address.
    static func parse(_ text: String) -> (key: String, address: IPAddress)? {
        guard let address = IPAddress(text.trimmingSpaces) else { return nil }
        return (address.description, address)
    }

    /// Whether a canonical key is IPv6 (only IPv6 text holds a colon).
    static func isIPv6(_ key: String) -> Bool {
        key.utf8.contains(UInt8(ascii: ":"))
    }

    /// The key of the network of `prefixLength` bits holding `address` (`prefixLength` no
    /// longer than the address's own).
    static func network(of address: IPAddress, prefixLength: Int) -> String? {
        let bare = address.description.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        return IPAddress(address: bare, prefixLength: prefixLength)?.description
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
