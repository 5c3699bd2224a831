/// Builds `nft -f -` scripts for the table of managed sets: one script is one atomic transaction.
///
/// Layout of `table inet <table>`: a base chain `input` (`type filter hook input priority
/// filter - 1; policy accept`) holding, per managed set, its port/protocol match jumping to the
/// set's own regular chain; that chain starts with the whitelist (`ip saddr @w4 return`, `ip6
/// saddr @w6 return`) and then the ban rules (`ip saddr @b4 reject`, … for the host hash sets
/// and the network interval sets of both families).
///
/// The whitelist *returns* rather than accepts: `return` only leaves this set's chain, so the
/// packet goes on to the other managed sets' chains and then to the administrator's own rules.
/// A jail's `ignoreip` means "this jail must not ban that address", nothing more: an `accept`
/// would also exempt the address from every other jail's set here, and in the iptables variant
/// (`-j ACCEPT` in a chain jumped from INPUT) it would end INPUT itself and open the host's own
/// firewall to it.
struct NftablesScript {
    let table: String
    private(set) var text = ""

    /// Elements per `add element` statement: keeps each line well inside nft's parser comfort.
    static let chunk = 10_000

    init(table: String, reserve: Int = 0) {
        self.table = table
        text.reserveCapacity(reserve)
    }

    var isEmpty: Bool { text.isEmpty }
    var bytes: [UInt8] { Array(text.utf8) }

    private var prefix: String { "inet \(table)" }

    /// The table and base chain, the base chain's jumps rewritten for `all` sets (flush, then add:
    /// never a duplicate), and the full structure of each of `rebuild`.
    mutating func structure(all: [DesiredSet], rebuild: [DesiredSet]) {
        line("add table \(prefix)")
        line("add chain \(prefix) input { type filter hook input priority filter - 1; policy accept; }")
        for set in rebuild { setStructure(set) }
        line("flush chain \(prefix) input")
        for set in all.sorted(by: { $0.definition.name < $1.definition.name }) {
            let names = KernelNames.nftables(set.definition.name)
            for match in Self.jumpMatches(set.scope) {
                line("add rule \(prefix) input \(match)jump \(names.chain)")
            }
        }
    }

    /// Sets, whitelist elements and the chain of one managed set; the chain is flushed and
    /// refilled, sets are created when missing and keep their elements.
    private mutating func setStructure(_ set: DesiredSet) {
        let names = KernelNames.nftables(set.definition.name)
        line("add set \(prefix) \(names.ban4) { type ipv4_addr; flags timeout; }")
        line("add set \(prefix) \(names.ban6) { type ipv6_addr; flags timeout; }")
        line("add set \(prefix) \(names.net4) { type ipv4_addr; flags interval, timeout; }")
        line("add set \(prefix) \(names.net6) { type ipv6_addr; flags interval, timeout; }")
        line("add set \(prefix) \(names.allow4) { type ipv4_addr; flags interval; }")
        line("add set \(prefix) \(names.allow6) { type ipv6_addr; flags interval; }")
        line("flush set \(prefix) \(names.allow4)")
        line("flush set \(prefix) \(names.allow6)")
        if !set.whitelist4.isEmpty { line("add element \(prefix) \(names.allow4) { \(set.whitelist4.joined(separator: ", ")) }") }
        if !set.whitelist6.isEmpty { line("add element \(prefix) \(names.allow6) { \(set.whitelist6.joined(separator: ", ")) }") }
        line("add chain \(prefix) \(names.chain)")
        line("flush chain \(prefix) \(names.chain)")
        for rule in Self.chainRules(set.scope, names) { line("add rule \(prefix) \(names.chain) \(rule)") }
    }

    /// Removes one managed set's chain and sets (after `structure(all:rebuild:)` for the rest
    /// dropped its jumps); each object is added first so a missing one is no error.
    mutating func removal(_ name: String) {
        let names = KernelNames.nftables(name)
        line("add chain \(prefix) \(names.chain)")
        line("delete chain \(prefix) \(names.chain)")
        for (set, type) in [(names.ban4, "ipv4_addr; flags timeout"), (names.ban6, "ipv6_addr; flags timeout"),
                            (names.net4, "ipv4_addr; flags interval, timeout"), (names.net6, "ipv6_addr; flags interval, timeout"),
                            (names.allow4, "ipv4_addr; flags interval"), (names.allow6, "ipv6_addr; flags interval")] {
            line("add set \(prefix) \(set) { type \(type); }")
            line("delete set \(prefix) \(set)")
        }
    }

    /// Deletes the whole table (adding it first, so a missing table is no error).
    mutating func dropTable() {
        line("add table \(prefix)")
        line("delete table \(prefix)")
    }

    mutating func flushSets(_ name: String) {
        let names = KernelNames.nftables(name)
        for set in names.nftablesBanSets { line("flush set \(prefix) \(set)") }
    }

    /// `add element` statements, `chunk` elements each, with per-element timeouts.
    mutating func addElements(_ set: String, _ elements: some Sequence<(key: String, expiry: Double)>, now: Double) {
        var count = 0
        for (key, expiry) in elements {
            if count % Self.chunk == 0 {
                if count > 0 { text += " }\n" }
                text += "add element \(prefix) \(set) { "
            } else {
                text += ", "
            }
            text += key
            if let milliseconds = Remaining.nftablesMilliseconds(expiry: expiry, now: now) {
                text += " timeout "
                text += String(milliseconds)
                text += "ms"
            }
            count += 1
        }
        if count > 0 { text += " }\n" }
    }

    /// `delete element` statements. With `tolerant`, each element is added (without timeout)
    /// just before, so an element the kernel already dropped (expired) is no error.
    mutating func deleteElements(_ set: String, _ keys: [String], tolerant: Bool) {
        for start in stride(from: 0, to: keys.count, by: Self.chunk) {
            let list = keys[start..<min(keys.count, start + Self.chunk)].joined(separator: ", ")
            if tolerant { line("add element \(prefix) \(set) { \(list) }") }
            line("delete element \(prefix) \(set) { \(list) }")
        }
    }

    private mutating func line(_ statement: String) {
        text += statement
        text += "\n"
    }

    /// Base-chain matches (each followed by `jump <chain>`): per protocol with ports, one
    /// `meta l4proto` match for all ports, or nothing for every protocol.
    static func jumpMatches(_ scope: ResolvedScope) -> [String] {
        if scope.protocols.isEmpty { return [""] }
        guard let ports = scope.ports else {
            return ["meta l4proto { \(scope.protocols.joined(separator: ", ")) } "]
        }
        let list = ports.map { $0.low == $0.high ? "\($0.low)" : "\($0.low)-\($0.high)" }.joined(separator: ", ")
        return scope.protocols.map { "\($0) dport { \(list) } " }
    }

    /// The rules of a set's chain: whitelist returns first, then the ban verdicts.
    static func chainRules(_ scope: ResolvedScope, _ names: KernelNames) -> [String] {
        var rules = ["ip saddr @\(names.allow4) return", "ip6 saddr @\(names.allow6) return"]
        for (family, set) in [("ip", names.ban4), ("ip", names.net4), ("ip6", names.ban6), ("ip6", names.net6)] {
            switch scope.verdict {
            case .drop: rules.append("\(family) saddr @\(set) drop")
            case .reject: rules.append("\(family) saddr @\(set) reject")
            case .tcpReset:
                rules.append("\(family) saddr @\(set) meta l4proto tcp reject with tcp reset")
                rules.append("\(family) saddr @\(set) reject")
            }
        }
        return rules
    }
}
