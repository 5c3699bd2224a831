#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a managed set blocks: which destination ports and protocols, and how (reject or drop).
///
/// Spelled as fail2ban's jail options are, so a jail's `port`, `protocol` and `blocktype` pass
/// through unchanged: ports `ssh`, `80,443`, `http,https`, `1000:2000`; `""`, `all`, `0:65535`
/// and `1:65535` mean every port. Protocol `tcp`, `udp`, `sctp`, a comma list of those, or `all`
/// (which blocks every port). Block type `reject` (the stock nftables action's default) or `drop`;
/// stock iptables spellings (`REJECT --reject-with …`, `DROP`) are understood too.
public struct BlockScope: Sendable, Hashable {
    public var ports: String
    public var `protocol`: String
    public var blockType: String

    public init(ports: String = "", protocol: String = "tcp", blockType: String = "reject") {
        self.ports = ports
        self.protocol = `protocol`
        self.blockType = blockType
    }
}

/// A port or an inclusive port range, resolved to numbers.
struct PortRange: Hashable, Sendable {
    var low: Int
    var high: Int
}

/// How a rule is emitted: the verdict in each firewall's syntax.
enum BlockVerdict: Hashable, Sendable {
    case drop
    case reject
    /// `reject with tcp reset` / `REJECT --reject-with tcp-reset` (TCP only).
    case tcpReset
}

/// A `BlockScope` checked and resolved: numeric port ranges (nil = every port), protocols
/// (empty = all), the verdict.
struct ResolvedScope: Hashable, Sendable {
    var ports: [PortRange]?
    var protocols: [String]
    var verdict: BlockVerdict

    static let knownProtocols: Set<String> = ["tcp", "udp", "sctp", "dccp", "udplite"]

    init(_ scope: BlockScope) throws(FirewallError) {
        let protocolItems = scope.protocol.lowercased().split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        if protocolItems.isEmpty || protocolItems.contains("all") {
            protocols = []
        } else {
            for item in protocolItems where !Self.knownProtocols.contains(item) {
                throw FirewallError(message: "unknown protocol '\(item)' in '\(scope.protocol)' (tcp, udp, sctp or all)")
            }
            protocols = Array(Set(protocolItems)).sorted()
        }
        let block = scope.blockType.lowercased()
        if block.contains("drop") {
            verdict = .drop
        } else if block.contains("tcp reset") || block.contains("tcp-reset") {
            verdict = .tcpReset
        } else if block.isEmpty || block.hasPrefix("reject") {
            verdict = .reject
        } else {
            throw FirewallError(message: "unknown block type '\(scope.blockType)' (reject or drop)")
        }
        ports = protocols.isEmpty ? nil : try Self.parsePorts(scope.ports, protocol: protocols[0])
    }

    /// The port list as fail2ban writes it; nil when it covers every port.
    static func parsePorts(_ text: String, protocol: String) throws(FirewallError) -> [PortRange]? {
        var ranges: [PortRange] = []
        for rawItem in text.split(separator: ",") {
            let item = rawItem.trimmingSpaces
            if item.isEmpty { continue }
            if item.lowercased() == "all" { return nil }
            let bounds = item.split(separator: ":", omittingEmptySubsequences: false)
            let pieces = bounds.count == 1 ? item.split(separator: "-", omittingEmptySubsequences: false) : bounds
            guard pieces.count <= 2 else { throw FirewallError(message: "bad port '\(item)' in '\(text)'") }
            let low = try port(String(pieces[0]), protocol: `protocol`, in: text)
            let high = pieces.count == 2 ? try port(String(pieces[1]), protocol: `protocol`, in: text) : low
            guard low <= high else { throw FirewallError(message: "bad port range '\(item)' in '\(text)'") }
            if low <= 1, high == 65535 { return nil }
            ranges.append(PortRange(low: low, high: high))
        }
        return ranges.isEmpty ? nil : ranges
    }

    /// A number, or a service name from /etc/services.
    private static func port(_ text: String, protocol: String, in whole: String) throws(FirewallError) -> Int {
        let name = text.trimmingSpaces
        if let number = Int(name) {
            guard (0...65535).contains(number) else { throw FirewallError(message: "port \(number) out of range in '\(whole)'") }
            return number
        }
        let proto = `protocol` == "sctp" || `protocol` == "udp" ? `protocol` : "tcp"
        if let entry = getservbyname(name, proto) ?? getservbyname(name, "tcp") {
            return Int(UInt16(bigEndian: UInt16(truncatingIfNeeded: entry.pointee.s_port)))
        }
        throw FirewallError(message: "unknown service name '\(name)' in port list '\(whole)'")
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
