#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PortcullisFilter

/// An address or network as integers: what cover lookups hash instead of text.
enum NumericNetwork: Hashable, Sendable {
    case v4(UInt32, length: Int)
    case v6(high: UInt64, low: UInt64, length: Int)

    var length: Int {
        switch self {
        case .v4(_, let length), .v6(_, _, let length): length
        }
    }

    var isV4: Bool {
        if case .v4 = self { return true }
        return false
    }

    var isHost: Bool { length == (isV4 ? 32 : 128) }

    init(_ address: IPAddress) {
        let b = address.bytes
        if address.family == .inet4 {
            self = .v4(b.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }, length: address.prefixLength)
        } else {
            self = .v6(high: b.prefix(8).reduce(0) { $0 << 8 | UInt64($1) },
                       low: b.dropFirst(8).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }, length: address.prefixLength)
        }
    }

    /// A canonical key (`10.0.0.1`, `10.0.0.0/24`, `2001:db8::/64`) parsed without allocating
    /// an `IPAddress`.
    init?(key: String) {
        var text = key
        var length: Int?
        if let slash = key.utf8.firstIndex(of: UInt8(ascii: "/")) {
            length = Int(key[key.index(after: slash)...])
            text = String(key[..<slash])
            guard length != nil else { return nil }
        }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self = .v4(UInt32(bigEndian: v4.s_addr), length: length ?? 32)
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let (high, low) = withUnsafeBytes(of: &v6) { raw in
            (raw.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }, raw.dropFirst(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
        self = .v6(high: high, low: low, length: length ?? 128)
    }

    /// The network of `length` bits holding this one.
    func masked(to length: Int) -> NumericNetwork {
        switch self {
        case .v4(let address, _):
            let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << UInt32(32 - length)
            return .v4(address & mask, length: length)
        case .v6(let high, let low, _):
            let highMask: UInt64 = length >= 64 ? ~0 : (length == 0 ? 0 : ~UInt64(0) << UInt64(64 - length))
            let lowMask: UInt64 = length <= 64 ? 0 : (length == 128 ? ~0 : ~UInt64(0) << UInt64(128 - length))
            return .v6(high: high & highMask, low: low & lowMask, length: length)
        }
    }
}

/// The network elements of a set (not hosts), by number, with the prefix lengths present per
/// family: "is this inside a desired network?" is one hash lookup per length present.
struct NetworkIndex: Sendable {
    private var keys: [NumericNetwork: String] = [:]
    private var lengths4: [Int: Int] = [:]
    private var lengths6: [Int: Int] = [:]

    var isEmpty: Bool { keys.isEmpty }

    mutating func insert(_ network: NumericNetwork, key: String) {
        guard !network.isHost, keys.updateValue(key, forKey: network) == nil else { return }
        network.isV4 ? (lengths4[network.length, default: 0] += 1) : (lengths6[network.length, default: 0] += 1)
    }

    mutating func remove(_ network: NumericNetwork) {
        guard keys.removeValue(forKey: network) != nil else { return }
        if network.isV4 {
            lengths4[network.length, default: 1] -= 1
            if lengths4[network.length] == 0 { lengths4[network.length] = nil }
        } else {
            lengths6[network.length, default: 1] -= 1
            if lengths6[network.length] == 0 { lengths6[network.length] = nil }
        }
    }

    mutating func removeAll() {
        self = NetworkIndex()
    }

    /// Keys of the desired networks strictly containing `network`.
    func covers(of network: NumericNetwork) -> [String] {
        var out: [String] = []
        for length in (network.isV4 ? lengths4 : lengths6).keys where length < network.length {
            if let key = keys[network.masked(to: length)] { out.append(key) }
        }
        return out
    }
}
