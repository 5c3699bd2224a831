/// The difference between the desired sets and a listing of the table: which managed sets need
/// their structure rebuilt (then all their elements go back in), whether the base chain's jumps
/// are wrong, and — for a full check — which elements are missing or stale.
struct NftablesRepairPlan {
    var rebuild: [String] = []
    var baseChainBroken = false
    var missing: [(set: String, elements: [(key: String, expiry: Double)])] = []
    var extra: [(set: String, keys: [String])] = []

    var restoredCount: Int { missing.reduce(0) { $0 + $1.elements.count } }
    var removedCount: Int { extra.reduce(0) { $0 + $1.keys.count } }
    var isEmpty: Bool { rebuild.isEmpty && !baseChainBroken && restoredCount == 0 && removedCount == 0 }

    init(sets: [String: DesiredSet], listing: NftablesListing, full: Bool, now: Double) {
        var expectedJumps = 0
        let base = listing.chains["input"]
        for (name, set) in sets.sorted(by: { $0.key < $1.key }) {
            let names = KernelNames.nftables(name)
            let jumps = NftablesScript.jumpMatches(set.scope).count
            expectedJumps += jumps
            if (base?.rules.filter { $0.hasSuffix("jump \(names.chain)") }.count ?? 0) != jumps { baseChainBroken = true }
            let visible = set.visible(now: now)
            if !Self.structureIntact(set, names, listing) || (full && !Self.whitelistIntact(set, names, listing)) {
                rebuild.append(name)
                appendMissing(names, visible, kernel: nil)
                continue
            }
            if full { appendMissing(names, visible, kernel: listing) }
        }
        if base?.hook?.contains("hook input") != true || base?.rules.count != expectedJumps { baseChainBroken = true }
    }

    /// Every set present, and the set's chain exactly: whitelist returns on top, then ban rules.
    private static func structureIntact(_ set: DesiredSet, _ names: KernelNames, _ listing: NftablesListing) -> Bool {
        for kernelSet in names.nftablesBanSets + [names.allow4, names.allow6] where listing.sets[kernelSet] == nil { return false }
        guard let rules = listing.chains[names.chain]?.rules else { return false }
        let expected = NftablesScript.chainRules(set.scope, names)
        guard rules.count == expected.count, rules.count >= 2 else { return false }
        for (rule, wanted) in zip(rules, expected) {
            guard let reference = wanted.split(separator: " ").first(where: { $0.hasPrefix("@") }),
                  rule.contains(reference + " ") else { return false }
        }
        return rules[0].hasSuffix("return") && rules[1].hasSuffix("return")
    }

    private static func whitelistIntact(_ set: DesiredSet, _ names: KernelNames, _ listing: NftablesListing) -> Bool {
        Set(listing.sets[names.allow4] ?? []) == Set(set.whitelist4) && Set(listing.sets[names.allow6] ?? []) == Set(set.whitelist6)
    }

    /// Elements to add (all of `visible` when `kernel` is nil) and, with a listing, stale ones to
    /// delete.
    private mutating func appendMissing(_ names: KernelNames, _ visible: [(key: String, expiry: Double)], kernel: NftablesListing?) {
        var adds: [String: [(key: String, expiry: Double)]] = [:]
        var present = Set<String>()
        if let kernel {
            present.reserveCapacity(visible.count)
            for set in names.nftablesBanSets { present.formUnion(kernel.sets[set] ?? []) }
        }
        var wanted = Set<String>()
        if kernel != nil { wanted.reserveCapacity(visible.count) }
        for element in visible {
            if kernel != nil { wanted.insert(element.key) }
            guard !present.contains(element.key) else { continue }
            adds[names.nftablesSet(for: element.key), default: []].append(element)
        }
        for set in names.nftablesBanSets {
            if let list = adds[set] { missing.append((set, list)) }
        }
        guard let kernel else { return }
        for set in names.nftablesBanSets {
            let stale = (kernel.sets[set] ?? []).filter { !wanted.contains($0) }
            if !stale.isEmpty { extra.append((set, stale)) }
        }
    }
}
