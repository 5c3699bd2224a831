/// The iptables/ip6tables side of the ipset variant, as `iptables-restore --noflush` input.
///
/// Our base chain `<prefix>` is jumped from the top of INPUT; it holds, per managed set, the
/// port/protocol match jumping to the set's chain, which starts with one `-s <net> -j RETURN` per
/// whitelist entry of that family (see `NftablesScript` on why RETURN, never ACCEPT) and ends
/// with the `-m set --match-set <set> src` verdict. Declaring a chain (`:name - [0:0]`) in a
/// `--noflush` restore empties it, so every rewrite is whole and never duplicates a rule.
struct IptablesRules {
    enum Family { case v4, v6 }

    let base: String
    let family: Family

    /// The restore input for all `sets`; `inputJumps` = how many `-j <base>` INPUT holds now and
    /// `jumpOnTop` whether the first INPUT rule is one: extras are deleted, one put on top.
    func restoreInput(_ sets: [(names: KernelNames, set: DesiredSet)], inputJumps: Int, jumpOnTop: Bool) -> String {
        var text = "*filter\n:\(base) - [0:0]\n"
        for entry in sets { text += ":\(entry.names.chain) - [0:0]\n" }
        if !(inputJumps == 1 && jumpOnTop) {
            for _ in 0..<inputJumps { text += "-D INPUT -j \(base)\n" }
            text += "-I INPUT 1 -j \(base)\n"
        }
        for entry in sets {
            for match in Self.jumpMatches(entry.set.scope) { text += "-A \(base) \(match)-j \(entry.names.chain)\n" }
            for rule in chainRules(entry.set, entry.names) { text += "-A \(entry.names.chain) \(rule)\n" }
        }
        return text + "COMMIT\n"
    }

    /// Removes the chains of the sets named (their jumps are gone after `restoreInput` for the rest).
    func removalInput(chains: [String], dropBase: Bool, inputJumps: Int) -> String {
        var text = "*filter\n"
        for chain in chains { text += ":\(chain) - [0:0]\n" }
        if dropBase {
            text += ":\(base) - [0:0]\n"
            for _ in 0..<inputJumps { text += "-D INPUT -j \(base)\n" }
            text += "-X \(base)\n"
        }
        for chain in chains { text += "-X \(chain)\n" }
        return text + "COMMIT\n"
    }

    /// Base-chain matches: per protocol, multiport lists of at most 15 ports (a range counts 2).
    static func jumpMatches(_ scope: ResolvedScope) -> [String] {
        if scope.protocols.isEmpty { return [""] }
        guard let ports = scope.ports else { return scope.protocols.map { "-p \($0) " } }
        var lists: [[String]] = [[]]
        var weight = 0
        for range in ports {
            let cost = range.low == range.high ? 1 : 2
            if weight + cost > 15 {
                lists.append([])
                weight = 0
            }
            lists[lists.count - 1].append(range.low == range.high ? "\(range.low)" : "\(range.low):\(range.high)")
            weight += cost
        }
        return scope.protocols.flatMap { proto in lists.map { "-p \(proto) -m multiport --dports \($0.joined(separator: ",")) " } }
    }

    /// A set's chain: whitelist RETURNs, then the verdict.
    func chainRules(_ set: DesiredSet, _ names: KernelNames) -> [String] {
        let whitelist = family == .v4 ? set.whitelist4 : set.whitelist6
        let ipset = family == .v4 ? names.ban4 : names.ban6
        let unreachable = family == .v4 ? "icmp-port-unreachable" : "icmp6-port-unreachable"
        var rules = whitelist.map { "-s \($0) -j RETURN" }
        let match = "-m set --match-set \(ipset) src"
        switch set.scope.verdict {
        case .drop: rules.append("\(match) -j DROP")
        case .reject: rules.append("\(match) -j REJECT --reject-with \(unreachable)")
        case .tcpReset:
            rules.append("-p tcp \(match) -j REJECT --reject-with tcp-reset")
            rules.append("\(match) -j REJECT --reject-with \(unreachable)")
        }
        return rules
    }

    /// From `iptables -S`: rules per chain (`-A CHAIN …` lines, in order), and declared chains.
    struct Listing {
        var chains: Set<String> = []
        var rules: [String: [String]] = [:]

        init(_ text: String) {
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ", maxSplits: 2)
                guard words.count >= 2 else { continue }
                if words[0] == "-N" { chains.insert(String(words[1])) }
                if words[0] == "-A" { rules[String(words[1]), default: []].append(words.count > 2 ? String(words[2]) : "") }
            }
        }

        func inputJumps(to base: String) -> (count: Int, onTop: Bool) {
            let input = rules["INPUT"] ?? []
            return (input.filter { $0 == "-j \(base)" }.count, input.first == "-j \(base)")
        }
    }

    /// Whether the listing shows exactly the chains and rule counts `restoreInput` would write.
    func intact(_ listing: Listing, _ sets: [(names: KernelNames, set: DesiredSet)]) -> Bool {
        let jumps = listing.inputJumps(to: base)
        guard jumps.count == 1, jumps.onTop, listing.chains.contains(base) else { return false }
        var expectedBase = 0
        for entry in sets {
            let expected = chainRules(entry.set, entry.names)
            let actual = listing.rules[entry.names.chain] ?? []
            guard listing.chains.contains(entry.names.chain), actual.count == expected.count,
                  actual.last?.contains("--match-set \(family == .v4 ? entry.names.ban4 : entry.names.ban6) src") == true,
                  actual.dropLast(expected.count - expected.filter({ $0.hasSuffix("RETURN") }).count)
                      .allSatisfy({ $0.hasSuffix("-j RETURN") }) else { return false }
            expectedBase += Self.jumpMatches(entry.set.scope).count
        }
        return (listing.rules[base] ?? []).count == expectedBase
    }
}
