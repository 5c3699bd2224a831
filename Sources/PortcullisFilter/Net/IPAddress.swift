#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address, optionally a network (`/prefix`), in fail2ban's canonical text form.
///
/// Failure ids must compare equal however a log spelled the address: `::ffff:1.2.3.4` is the
/// IPv4 address `1.2.3.4`, `[2001:DB8::1]` is `2001:db8::1`, and `10.0.0.7/24` is `10.0.0.0/24`.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Family: Sendable { case inet4, inet6 }

    public let family: Family
    /// Address bytes in network order (4 or 16), already masked to `prefixLength`.
    public let bytes: [UInt8]
    public let prefixLength: Int

    /// Parses `text` (brackets and `/prefix` allowed). Returns nil for anything that is not an address.
    public init?(_ text: String) {
        var s = Substring(text)
        if s.count > 2, s.first == "[", s.last == "]" { s = s.dropFirst().dropLast() }
        var prefix: Int? = nil
        if let slash = s.firstIndex(of: "/") {
            guard let p = Int(s[s.index(after: slash)...]) else { return nil }
            prefix = p
            s = s[..<slash]
        }
        self.init(address: String(s), prefixLength: prefix)
    }

    /// Parses a bare address with an optional prefix length given separately.
    public init?(address: String, prefixLength: Int? = nil) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            let raw = withUnsafeBytes(of: &v4) { Array($0) }
            guard let result = IPAddress(family: .inet4, bytes: raw, prefixLength: prefixLength ?? 32) else { return nil }
            self = result
        } else if inet_pton(AF_INET6, address, &v6) == 1 {
            let raw = withUnsafeBytes(of: &v6) { Array($0) }
            // IPv4-mapped (::ffff:a.b.c.d) is the IPv4 address itself.
            if prefixLength == nil, raw[0..<10].allSatisfy({ $0 == 0 }), raw[10] == 0xff, raw[11] == 0xff {
                self.init(family: .inet4, bytes: Array(raw[12..<16]), prefixLength: 32)!
                return
            }
            guard let result = IPAddress(family: .inet6, bytes: raw, prefixLength: prefixLength ?? 128) else { return nil }
            self = result
        } else {
            return nil
        }
    }

    init?(family: Family, bytes: [UInt8], prefixLength: Int) {
        let bits = bytes.count * 8
        guard prefixLength >= 0, prefixLength <= bits else { return nil }
        var masked = bytes
        for i in 0..<masked.count {
            let keep = max(0, min(8, prefixLength - i * 8))
            masked[i] &= keep == 8 ? 0xff : UInt8(truncatingIfNeeded: 0xff << (8 - keep))
        }
        self.family = family
        self.bytes = masked
        self.prefixLength = prefixLength
    }

    /// Whether this is a single host (full-length prefix).
    public var isHost: Bool { prefixLength == bytes.count * 8 }

    /// Whether `other` lies inside this address's network (same family).
    public func contains(_ other: IPAddress) -> Bool {
        guard family == other.family, other.prefixLength >= prefixLength else { return false }
        let masked = IPAddress(family: family, bytes: other.bytes, prefixLength: prefixLength)
        return masked?.bytes == bytes
    }

    /// Canonical text: `inet_ntop` form, with `/prefix` for networks.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let af = family == .inet4 ? AF_INET : AF_INET6
        let text: String = bytes.withUnsafeBytes { raw in
            guard inet_ntop(af, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil else { return "" }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return isHost ? text : "\(text)/\(prefixLength)"
    }
}
