import Foundation
import PortcullisFilter

/// Ban sets in a dedicated nftables table (`table inet portcullis`), applied in batches: every
/// call that changes the kernel is one `nft -f -` transaction, so 100k bans cost one process and
/// either all land or none. The actor keeps the desired state and `reconcile` puts back what a
/// `nft flush ruleset`, a firewall reload or a stray `nft delete` took away.
///
/// Interval sets refuse overlapping elements, so an element inside another live desired network
/// (a host of a banned /24) stays in the desired state but out of the kernel; it is put in when
/// the network goes (unban: at once; kernel expiry: at the next full reconcile). Elements whose
/// remaining time exceeds nftables' 49.7-day timeout limit go in without timeout; the daemon's
/// unban or a full reconcile removes them.
public actor NftablesSetFirewall: SetFirewall {
    public let table: String
    private let nft: FirewallCommand
    private var sets: [String: DesiredSet] = [:]

    /// - Parameters:
    ///   - table: the `inet` table's name (ours alone: it is rewritten freely).
    ///   - nft: the command prefix (`["ip", "netns", "exec", "NS", "nft"]` drives a namespace).
    ///   - timeout: seconds one `nft` run may take.
    public init(table: String = "portcullis", nft: [String] = ["nft"], timeout: Double = 30) {
        self.table = KernelNames.sanitised(table, budget: 64)
        self.nft = FirewallCommand(nft, timeout: timeout)
    }

    public func install(_ set: ManagedSet) async throws(FirewallError) {
        var desired: DesiredSet
        if var existing = sets[set.name] {
            try existing.redefine(set)
            desired = existing
        } else {
            desired = try DesiredSet(set)
        }
        var all = sets
        all[set.name] = desired
        var script = NftablesScript(table: table)
        script.structure(all: Array(all.values), rebuild: [desired])
        try await run(script, operation: "install \(set.name)")
        sets = all
    }

    public func uninstall(setNamed name: String) async throws(FirewallError) {
        var rest = sets
        rest[name] = nil
        var script = NftablesScript(table: table)
        if rest.isEmpty {
            script.dropTable()
        } else {
            script.structure(all: Array(rest.values), rebuild: [])
            script.removal(name)
        }
        try await run(script, operation: "uninstall \(name)")
        sets = rest
    }

    public func apply(setNamed name: String, add: [BanElement], remove: [String], now: Double) async throws(FirewallError) {
        let operation = "apply \(name)"
        guard var desired = sets[name] else { throw FirewallError(message: "set '\(name)' is not installed").during(operation) }
        let names = KernelNames.nftables(name)
        var adds4: [(key: String, expiry: Double)] = [], adds6: [(key: String, expiry: Double)] = []
        var deletes4: [String] = [], deletes6: [String] = []
        var strictDeletes4: [String] = [], strictDeletes6: [String] = []

        // Removals: out of the kernel if they were there; what they covered comes back.
        var removedNetworks: [IPAddress] = []
        for text in remove {
            guard let (key, address) = AddressKey.parse(text), let expiry = desired.expiry(of: key) else { continue }
            let wasVisible = expiry > now && desired.cover(of: address, now: now) == nil
            desired.remove(key)
            if wasVisible { address.family == .inet4 ? deletes4.append(key) : deletes6.append(key) }
            if !address.isHost { removedNetworks.append(address) }
        }

        // Additions: parsed once; elements an added network covers leave the kernel.
        var parsed: [(key: String, address: IPAddress, expiry: Double)] = []
        parsed.reserveCapacity(add.count)
        var addedNetworks: [IPAddress] = []
        for element in add {
            let expiry = element.expiry ?? .infinity
            guard expiry > now, let (key, address) = AddressKey.parse(element.address) else { continue }
            parsed.append((key, address, expiry))
            if !address.isHost { addedNetworks.append(address) }
        }
        if !addedNetworks.isEmpty, desired.count > 0 {
            for key in Self.keys(in: desired, inside: addedNetworks, now: now) {
                guard let address = IPAddress(key), desired.cover(of: address, now: now) == nil else { continue }
                AddressKey.isIPv6(key) ? strictDeletes6.append(key) : strictDeletes4.append(key)
            }
        }
        for item in parsed { desired.insert(item.key, address: item.address, expiry: item.expiry) }
        for item in parsed where desired.expiry(of: item.key) == item.expiry {
            if desired.holdsNetworks, desired.cover(of: item.address, now: now) != nil { continue }
            item.address.family == .inet4 ? adds4.append((item.key, item.expiry)) : adds6.append((item.key, item.expiry))
        }
        if !removedNetworks.isEmpty {
            for key in Self.keys(in: desired, inside: removedNetworks, now: now) {
                guard let address = IPAddress(key), let expiry = desired.expiry(of: key),
                      desired.cover(of: address, now: now) == nil else { continue }
                AddressKey.isIPv6(key) ? adds6.append((key, expiry)) : adds4.append((key, expiry))
            }
        }
        sets[name] = desired

        var script = NftablesScript(table: table, reserve: (adds4.count + adds6.count) * 32 + 256)
        script.deleteElements(names.ban4, strictDeletes4, tolerant: false)
        script.deleteElements(names.ban6, strictDeletes6, tolerant: false)
        script.deleteElements(names.ban4, deletes4, tolerant: true)
        script.deleteElements(names.ban6, deletes6, tolerant: true)
        script.addElements(names.ban4, adds4, now: now)
        script.addElements(names.ban6, adds6, now: now)
        guard !script.isEmpty else { return }
        do {
            try await run(script, operation: operation)
        } catch {
            // The kernel differs from what we believed (structure gone, element expired early):
            // the desired state is already updated, so a full repair applies this batch too.
            if case .failure = await reconcile(full: true, now: now) { throw error }
        }
    }

    public func flush(setNamed name: String) async throws(FirewallError) {
        guard var desired = sets[name] else { throw FirewallError(message: "set '\(name)' is not installed").during("flush \(name)") }
        var script = NftablesScript(table: table)
        script.flushSets(name)
        try await run(script, operation: "flush \(name)")
        desired.removeAll()
        sets[name] = desired
    }

    public func elements(ofSetNamed name: String) -> [String] {
        sets[name].map { Array($0.elements.keys) } ?? []
    }

    public func kernelElements(ofSetNamed name: String) async throws(FirewallError) -> [String] {
        let names = KernelNames.nftables(name)
        let script = "list set inet \(table) \(names.ban4)\nlist set inet \(table) \(names.ban6)\n"
        let output = try await nft.run(["-f", "-"], input: Array(script.utf8), operation: "list \(name)")
        let listing = NftablesListing(output)
        return (listing.sets[names.ban4] ?? []) + (listing.sets[names.ban6] ?? [])
    }

    public func reconcile(full: Bool, now: Double) async -> Result<RepairReport, FirewallError> {
        let start = Date().timeIntervalSince1970
        var first = await reconcileOnce(full: full, now: now)
        if case .failure = first {
            // An element may have expired between listing and repair: look again, once.
            first = await reconcileOnce(full: full, now: max(now, Date().timeIntervalSince1970))
        }
        return first.map { report in
            var report = report
            report.duration = Date().timeIntervalSince1970 - start
            return report
        }
    }

    private func reconcileOnce(full: Bool, now: Double) async -> Result<RepairReport, FirewallError> {
        for name in sets.keys { sets[name]?.pruneExpired(now: now) }
        guard !sets.isEmpty else { return .success(RepairReport()) }
        let listed = await nft.result(full ? ["list", "table", "inet", table] : ["-t", "list", "table", "inet", table])
        let listing: NftablesListing
        if listed.succeeded {
            listing = NftablesListing(listed.stdout)
        } else if listed.stderr.contains("No such file or directory") {
            listing = NftablesListing("")
        } else {
            return .failure(nft.error(listed, ["list", "table", "inet", table], input: nil, operation: "reconcile"))
        }

        let plan = NftablesRepairPlan(sets: sets, listing: listing, full: full, now: now)
        guard !plan.isEmpty else { return .success(RepairReport()) }
        var script = NftablesScript(table: table, reserve: plan.restoredCount * 32 + 4096)
        if !plan.rebuild.isEmpty || plan.baseChainBroken {
            script.structure(all: Array(sets.values), rebuild: plan.rebuild.compactMap { sets[$0] })
        }
        for (set, keys) in plan.extra { script.deleteElements(set, keys, tolerant: false) }
        for (set, elements) in plan.missing { script.addElements(set, elements, now: now) }
        do {
            try await run(script, operation: "reconcile")
        } catch {
            return .failure(error)
        }
        return .success(RepairReport(repaired: true, restoredElements: plan.restoredCount, removedElements: plan.removedCount,
                                     restoredStructure: !plan.rebuild.isEmpty || plan.baseChainBroken))
    }

    private func run(_ script: NftablesScript, operation: String) async throws(FirewallError) {
        try await nft.run(["-f", "-"], input: script.bytes, operation: operation)
    }

    /// Keys of live elements of `set` lying strictly inside one of `networks`.
    private static func keys(in set: DesiredSet, inside networks: [IPAddress], now: Double) -> [String] {
        let lengths = Set(networks.map(\.prefixLength))
        let wanted = Set(networks.map(\.description))
        var out: [String] = []
        for (key, expiry) in set.elements where expiry > now {
            guard let address = IPAddress(key) else { continue }
            for length in lengths where length < address.prefixLength {
                if let network = AddressKey.network(of: address, prefixLength: length), wanted.contains(network) {
                    out.append(key)
                    break
                }
            }
        }
        return out
    }
}
