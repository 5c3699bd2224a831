#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// IP version of an exported address, as the `version=4|6` query parameter names it.
public enum IPVersion: Int, Sendable, CaseIterable {
    case v4 = 4, v6 = 6
}

/// A ban's address parsed once for the renderers: its version, its CIDR form (firewalls and
/// AWS WAF want `/32`, `/128` on single hosts) and a numeric sort order, so lists come out
/// in the order an administrator reads them (`9.…` before `10.…`).
struct BannedAddress: Hashable, Comparable {
    /// As the jail recorded it (`192.0.2.1`, `198.51.100.0/24`).
    let text: String
    let version: IPVersion
    private let bytes: [UInt8]
    private let prefixLength: Int

    /// Nil for text that is neither an IPv4 nor an IPv6 address or network (a jail that bans
    /// host names or other identifiers); renderers for firewalls leave those out.
    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let host = String(parts[0])
        var v4 = in_addr(), v6 = in6_addr()
        let maxLength: Int
        if inet_pton(AF_INET, host, &v4) == 1 {
            version = .v4
            bytes = withUnsafeBytes(of: v4) { Array($0) }
            maxLength = 32
        } else if inet_pton(AF_INET6, host, &v6) == 1 {
            version = .v6
            bytes = withUnsafeBytes(of: v6) { Array($0) }
            maxLength = 128
        } else {
            return nil
        }
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...maxLength).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = maxLength
        }
        self.text = text
    }

    /// `address/length`, adding the host length to a single address.
    var cidr: String { text.contains("/") ? text : "\(text)/\(version == .v4 ? 32 : 128)" }

    static func < (lhs: BannedAddress, rhs: BannedAddress) -> Bool {
        if lhs.version != rhs.version { return lhs.version.rawValue < rhs.version.rawValue }
        if lhs.bytes != rhs.bytes { return lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
        if lhs.prefixLength != rhs.prefixLength { return lhs.prefixLength < rhs.prefixLength }
        return lhs.text < rhs.text
    }

    /// The distinct addresses of `bans` (one per address however many jails ban it), sorted,
    /// optionally of one IP version only.
    static func distinct(_ bans: [ExportedBan], version: IPVersion? = nil) -> [BannedAddress] {
        Set(bans.compactMap { BannedAddress($0.ip) }).filter { version == nil || $0.version == version }.sorted()
    }
}
