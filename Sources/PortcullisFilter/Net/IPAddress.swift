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
    public let prefixLength: Int
    /// The address bytes in network order, packed big-endian (IPv4 in the low 32 bits of
    /// `low`): every failure's address is parsed, compared and hashed, and inline words cost no
    /// allocation where an array did.
    private let high: UInt64
    private let low: UInt64

    /// Address bytes in network order (4 or 16), already masked to `prefixLength`.
    public var bytes: [UInt8] {
        switch family {
        case .inet4: return (0..<4).map { UInt8(truncatingIfNeeded: low >> (24 - 8 * $0)) }
        case .inet6: return (0..<16).map { UInt8(truncatingIfNeeded: ($0 < 8 ? high : low) >> (56 - 8 * ($0 % 8))) }
        }
    }

    /// Parses `text` (brackets and `/prefix` allowed). Returns nil for anything that is not an address.
    public init?(_ text: String) {
        if let v4 = Self.parseIPv4(text.utf8) {
            self.init(family: .inet4, high: 0, low: UInt64(v4), prefixLength: 32)
            return
        }
        var s = Substring(text)
        if s.utf8.count > 2, s.first == "[", s.last == "]" { s = s.dropFirst().dropLast() }
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
        if let v4 = Self.parseIPv4(address.utf8) {
            guard let result = IPAddress(family: .inet4, high: 0, low: UInt64(v4), prefixLength: prefixLength ?? 32) else { return nil }
            self = result
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return nil }
        let (high, low) = withUnsafeBytes(of: &v6) { raw in
            (raw.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }, raw.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
        // IPv4-mapped (::ffff:a.b.c.d) is the IPv4 address itself.
        if prefixLength == nil, high == 0, low >> 32 == 0xffff {
            self.init(family: .inet4, high: 0, low: low & 0xffff_ffff, prefixLength: 32)!
            return
        }
        guard let result = IPAddress(family: .inet6, high: high, low: low, prefixLength: prefixLength ?? 128) else { return nil }
        self = result
    }

    init?(family: Family, bytes: [UInt8], prefixLength: Int) {
        guard bytes.count == (family == .inet4 ? 4 : 16) else { return nil }
        let packed = { (part: ArraySlice<UInt8>) in part.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        if family == .inet4 {
            self.init(family: .inet4, high: 0, low: packed(bytes[...]), prefixLength: prefixLength)
        } else {
            self.init(family: .inet6, high: packed(bytes[0..<8]), low: packed(bytes[8..<16]), prefixLength: prefixLength)
        }
    }

    /// The address masked to `prefixLength`; nil when the prefix does not fit the family.
    private init?(family: Family, high: UInt64, low: UInt64, prefixLength: Int) {
        let bits = family == .inet4 ? 32 : 128
        guard prefixLength >= 0, prefixLength <= bits else { return nil }
        self.family = family
        self.prefixLength = prefixLength
        if family == .inet4 {
            self.high = 0
            self.low = prefixLength == 0 ? 0 : low & (0xffff_ffff << UInt64(32 - prefixLength)) & 0xffff_ffff
        } else {
            self.high = prefixLength >= 64 ? high : prefixLength == 0 ? 0 : high & (~UInt64(0) << UInt64(64 - prefixLength))
            self.low = prefixLength >= 128 ? low : prefixLength <= 64 ? 0 : low & (~UInt64(0) << UInt64(128 - prefixLength))
        }
    }

    /// A dotted quad as `inet_pton` accepts it (four decimal parts of at most 255, no leading
    /// zeros, nothing else), without a C string or an allocation.
    static func parseIPv4(_ text: String.UTF8View) -> UInt32? {
        // Over the contiguous bytes: iterating the view byte by byte was a visible part of
        // checking each failure's address against `ignoreip`.
        if let parsed = text.withContiguousStorageIfAvailable(parseIPv4) { return parsed }
        var copy = String(text)
        return copy.withUTF8(parseIPv4)
    }

    static func parseIPv4(_ text: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var result: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var parts = 0
        for byte in text {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if digits > 0 && part == 0 { return nil }
                part = part * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                if digits > 3 || part > 255 { return nil }
            case UInt8(ascii: "."):
                guard digits > 0, parts < 3 else { return nil }
                result = result << 8 | part
                parts += 1
                part = 0
                digits = 0
            default:
                return nil
            }
        }
        guard digits > 0, parts == 3 else { return nil }
        return result << 8 | part
    }

    /// Whether this is a single host (full-length prefix).
    public var isHost: Bool { prefixLength == (family == .inet4 ? 32 : 128) }

    /// Whether `other` lies inside this address's network (same family).
    public func contains(_ other: IPAddress) -> Bool {
        guard family == other.family, other.prefixLength >= prefixLength else { return false }
        let masked = IPAddress(family: family, high: other.high, low: other.low, prefixLength: prefixLength)
        return masked.map { $0.high == high && $0.low == low } ?? false
    }

    /// Canonical text: `inet_ntop` form, with `/prefix` for networks.
    public var description: String {
        let text: String
        if family == .inet4 {
            let v4 = UInt32(truncatingIfNeeded: low)
            text = "\(v4 >> 24).\(v4 >> 16 & 0xff).\(v4 >> 8 & 0xff).\(v4 & 0xff)"
        } else {
            var raw = in6_addr()
            withUnsafeMutableBytes(of: &raw) { out in
                for i in 0..<16 { out[i] = UInt8(truncatingIfNeeded: (i < 8 ? high : low) >> (56 - 8 * UInt64(i % 8))) }
            }
            text = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
                guard inet_ntop(AF_INET6, &raw, buffer.baseAddress, 64) != nil else { return "" }
                return String(cString: buffer.baseAddress!)
            }
        }
        return isHost ? text : "\(text)/\(prefixLength)"
    }
}
