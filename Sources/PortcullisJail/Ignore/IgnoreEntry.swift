import Foundation
import PortcullisFilter

/// One `ignoreip` entry: an address, a network (`10.0.0.0/8`, `10.0.0.0/255.0.0.0`,
/// `2001:db8::/32`) or a host name to resolve. fail2ban takes any other text for a host name and
/// silently never matches it; Portcullis refuses text that cannot be a host name, so a typo
/// (`10.0.0.256`, `1.2.3.4:22`, `10.0.0.0/33`) is reported when the jail loads.
public enum IgnoreEntry: Sendable, Hashable, CustomStringConvertible {
    /// A single address (full-length prefix).
    case address(IPAddress)
    /// A network (shorter prefix).
    case network(IPAddress)
    /// A DNS name, resolved when an id is checked (by the caller's resolver).
    case hostName(String)

    /// Parses one entry (surrounding whitespace ignored; `[…]` around an IPv6 address allowed).
    public init(parsing raw: String) throws(JailSettingsError) {
        func fail(_ reason: String) -> JailSettingsError {
            JailSettingsError(option: "ignoreip", value: raw, reason: reason)
        }
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw fail("empty entry") }
        if text.count > 2, text.first == "[", text.last == "]" { text = String(text.dropFirst().dropLast()) }

        if let slash = text.firstIndex(of: "/") {
            let host = String(text[..<slash]), suffix = String(text[text.index(after: slash)...])
            guard let address = IPAddress(address: host) else {
                throw fail("'\(host)' is not an IP address (a network is written as address/prefix, e.g. 10.0.0.0/8)")
            }
            let bits = address.bytes.count * 8
            let prefix: Int
            if suffix.contains(".") || suffix.contains(":") {
                guard let mask = IPAddress(address: suffix), mask.isHost else { throw fail("'\(suffix)' is not a network mask") }
                guard mask.family == address.family else { throw fail("mask '\(suffix)' is not of the address's family") }
                guard let length = Self.prefixLength(ofMask: mask.bytes) else {
                    throw fail("mask '\(suffix)' is not contiguous (expected e.g. 255.255.0.0)")
                }
                prefix = length
            } else {
                guard let length = Int(suffix), (0...bits).contains(length) else {
                    throw fail("prefix '/\(suffix)' must be a number from 0 to \(bits)")
                }
                prefix = length
            }
            guard let network = IPAddress(address: host, prefixLength: prefix) else { throw fail("not a network") }
            self = network.isHost ? .address(network) : .network(network)
            return
        }
        if let address = IPAddress(text) {
            self = address.isHost ? .address(address) : .network(address)
            return
        }
        if text.allSatisfy({ $0 == "." || ($0.isASCII && $0.isNumber) }) {
            throw fail("not a valid IPv4 address")
        }
        if text.contains(":") {
            throw fail("not a valid IPv6 address (nor a host name; an address takes no port)")
        }
        guard Self.isHostName(text) else {
            throw fail("neither an IP address, a network (address/prefix or address/mask) nor a host name")
        }
        self = .hostName(text)
    }

    /// As `get <jail> ignoreip` prints it: canonical address, `address/prefix` (fail2ban omits a
    /// `/0`), or the host name as written.
    public var description: String {
        switch self {
        case .address(let a): return a.description
        case .network(let n):
            guard n.prefixLength == 0 else { return n.description }
            return String(n.description.prefix { $0 != "/" })
        case .hostName(let name): return name
        }
    }

    /// Whether `id` lies in this entry as fail2ban's `isInNet` decides it (the id's own prefix is
    /// not considered). Host names are resolved with `resolve`.
    func covers(_ id: IPAddress, resolve: (String) -> [IPAddress]) -> Bool {
        switch self {
        case .address(let a): return a == id
        case .network(let net): return Self.isInNet(id, net)
        case .hostName(let name): return resolve(name).contains(id)
        }
    }

    static func isInNet(_ ip: IPAddress, _ net: IPAddress) -> Bool {
        guard ip.family == net.family else { return false }
        // `bytes` is built from the address' words: fetched once each, not once per byte.
        let ipBytes = ip.bytes, netBytes = net.bytes
        let whole = net.prefixLength / 8, rest = net.prefixLength % 8
        for i in 0..<whole where ipBytes[i] != netBytes[i] { return false }
        guard rest > 0 else { return true }
        let mask = UInt8(truncatingIfNeeded: 0xff << (8 - rest))
        return ipBytes[whole] & mask == netBytes[whole]
    }

    static func prefixLength(ofMask bytes: [UInt8]) -> Int? {
        var length = 0, ended = false
        for byte in bytes {
            for bit in (0..<8).reversed() {
                let set = byte & (1 << bit) != 0
                if set {
                    if ended { return nil }
                    length += 1
                } else {
                    ended = true
                }
            }
        }
        return length
    }

    static func isHostName(_ text: String) -> Bool {
        guard text.utf8.count <= 253 else { return false }
        var labels = text.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count > 1, labels.last?.isEmpty == true { labels.removeLast() }  // trailing dot
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }
}
