import Foundation
import PortcullisSystem

/// Ban sets in a dedicated nftables table (`table inet portcullis`), applied in batches: every
/// call that changes the kernel is one `nft -f -` transaction, so 100k bans cost one process and
/// either all land or none. The actor keeps the desired state and `reconcile` puts back what a
/// `nft flush ruleset`, a firewall reload or a stray `nft delete` took away.
///
/// Hosts go to hash sets (`flags timeout`: loading 100k is three times faster than into an
/// interval set), networks to interval sets. Interval sets refuse overlapping elements, so a
/// network inside another live desired network stays in the desired state but out of the kernel;
/// it is put in when the outer network goes (unban: at once; kernel expiry: at the next full
/// reconcile). Elements whose
/// remaining time exceeds nftables' 49.7-day timeout limit go in without timeout; the daemon's
/// unban or a full reconcile removes them.
public actor NftablesSetFirewall: SerializedSetFirewall {
    var gate = FirewallGate()
    public let table: String
    private let nft: FirewallCommand
    private var sets: [String: DesiredSet] = [:]
    /// Paused around our own large transactions (see `NetlinkRulesetMonitor.pause()`).
    private let monitor: NetlinkRulesetMonitor?
    /// Host elements are added and deleted through netlink rather than `nft -f` (no nft parser:
    /// 100k elements load in half the time), in the namespace `nft` runs in: this process' own
    /// (`""`) for a bare `nft`, `/var/run/netns/NS` for `ip netns exec NS nft`; nil for any
    /// other prefix, which keeps `nft -f` for everything.
    private let netlinkNamespace: String?

    /// - Parameters:
    ///   - table: the `inet` table's name (ours alone: it is rewritten freely).
    ///   - nft: the command prefix (`["ip", "netns", "exec", "NS", "nft"]` drives a namespace).
    ///   - timeout: seconds one `nft` run may take.
    ///   - monitor: the daemon's ruleset monitor, paused while a large batch loads.
    public init(table: String = "portcullis", nft: [String] = ["nft"], timeout: Double = 30, monitor: NetlinkRulesetMonitor? = nil) {
        self.table = KernelNames.sanitised(table, budget: 64)
        self.nft = FirewallCommand(nft, timeout: timeout)
        self.monitor = monitor
        switch nft.count {
        case 1 where nft[0] == "nft": netlinkNamespace = ""
        case 5 where nft[0...2] == ["ip", "netns", "exec"] && nft[4] == "nft": netlinkNamespace = "/var/run/netns/" + nft[3]
        default: netlinkNamespace = nil
        }
    }

    func installNow(_ set: ManagedSet) async throws(FirewallError) {
        let desired = try DesiredSet.defining(set, keeping: sets[set.name])
        var all = sets
        all[set.name] = desired
        var script = NftablesScript(table: table)
        script.structure(all: Array(all.values), rebuild: [desired])
        try await run(script, operation: "install \(set.name)")
        sets = all
    }

    func uninstallNow(setNamed name: String) async throws(FirewallError) {
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

    func applyNow(setNamed name: String, add: [BanElement], remove: [String], now: Double) async throws(FirewallError) {
        let operation = "apply \(name)"
        // Taken out of `sets` while changed, so a million elements are not copied on write.
        guard var desired = sets.removeValue(forKey: name) else {
            throw FirewallError(message: "set '\(name)' is not installed").during(operation)
        }
        let names = KernelNames.nftables(name)
        var adds: [String: [(key: String, expiry: Double)]] = [:]
        var deletes: [String: [String]] = [:], strictDeletes: [String: [String]] = [:]

        // Removals: out of the kernel if they were there; networks they covered come back.
        var removedNetworks: [NumericNetwork] = []
        for text in remove {
            guard let (key, network) = AddressKey.parse(text), let expiry = desired.expiry(of: key) else { continue }
            let wasVisible = expiry > now && desired.cover(of: network, now: now) == nil
            desired.remove(key)
            if wasVisible { deletes[names.nftablesSet(for: key), default: []].append(key) }
            if !network.isHost { removedNetworks.append(network) }
        }

        // Additions: parsed once; networks inside an added network leave the interval set.
        var parsed: [(key: String, network: NumericNetwork, expiry: Double)] = []
        parsed.reserveCapacity(add.count)
        var addedNetworks: [NumericNetwork] = []
        for element in add {
            let expiry = element.expiry ?? .infinity
            guard expiry > now, let (key, network) = AddressKey.parse(element.address) else { continue }
            parsed.append((key, network, expiry))
            if !network.isHost { addedNetworks.append(network) }
        }
        if !addedNetworks.isEmpty, desired.holdsNetworks {
            for (key, network) in Self.networks(in: desired, inside: addedNetworks, now: now)
            where desired.cover(of: network, now: now) == nil {
                strictDeletes[names.nftablesSet(for: key), default: []].append(key)
            }
        }
        desired.reserveCapacity(desired.count + parsed.count)
        for item in parsed {
            // A host the kernel holds with another timeout (a prolonged ban) is deleted and added
            // again in the same transaction: adding an element the set holds keeps its old timeout.
            if let old = desired.insert(item.key, network: item.network, expiry: item.expiry),
               item.network.isHost, old > now, old != item.expiry {
                deletes[names.nftablesSet(for: item.key), default: []].append(item.key)
            }
        }
        for item in parsed where desired.expiry(of: item.key) == item.expiry {
            if !item.network.isHost, desired.cover(of: item.network, now: now) != nil { continue }
            adds[names.nftablesSet(for: item.key), default: []].append((item.key, item.expiry))
        }
        if !removedNetworks.isEmpty {
            for (key, network) in Self.networks(in: desired, inside: removedNetworks, now: now) {
                guard let expiry = desired.expiry(of: key), desired.cover(of: network, now: now) == nil else { continue }
                adds[names.nftablesSet(for: key), default: []].append((key, expiry))
            }
        }
        sets[name] = desired

        let hostSets: Set<String> = [names.ban4, names.ban6]
        if let netlinkNamespace, strictDeletes.isEmpty, Set(adds.keys).union(deletes.keys).isSubset(of: hostSets) {
            let quiet = parsed.count + remove.count > Self.quietElements ? monitor : nil
            quiet?.pause()
            let loaded = await Self.loadHosts(in: netlinkNamespace, table: table, sets: [names.ban4, names.ban6], adds: adds, deletes: deletes, now: now)
            quiet?.resume()
            if loaded { return }
        }

        var script = NftablesScript(table: table, reserve: parsed.count * 32 + 256)
        for set in names.nftablesBanSets {
            script.deleteElements(set, strictDeletes[set] ?? [], tolerant: false)
            script.deleteElements(set, deletes[set] ?? [], tolerant: true)
        }
        for set in names.nftablesBanSets { script.addElements(set, adds[set] ?? [], now: now) }
        guard !script.isEmpty else { return }
        do {
            try await run(script, operation: operation)
        } catch {
            // The kernel differs from what we believed (structure gone, element expired early):
            // the desired state is already updated, so a full repair applies this batch too.
            if case .failure = await reconcileNow(full: true, now: now) { throw error }
        }
    }

    func flushNow(setNamed name: String) async throws(FirewallError) {
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

    func kernelElementsNow(ofSetNamed name: String) async throws(FirewallError) -> [String] {
        let names = KernelNames.nftables(name)
        var out: [String] = []
        for set in names.nftablesBanSets {
            // One `list set` per run: nft 1.0.6 fails a second `list set` in one `-f` script.
            let output = try await nft.run(["-j", "list", "set", "inet", table, set], operation: "list \(name)")
            out += try NftablesListing(json: output).sets[set] ?? []
        }
        return out
    }

    func reconcileNow(full: Bool, now: Double) async -> Result<RepairReport, FirewallError> {
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
        // Structure alone: `-t` text. Elements too: JSON, which nft writes much faster.
        let listed = await nft.result(full ? ["-j", "list", "table", "inet", table] : ["-t", "list", "table", "inet", table])
        let listing: NftablesListing
        if listed.succeeded {
            do {
                listing = full ? try NftablesListing(json: listed.stdout) : NftablesListing(listed.stdout)
            } catch {
                return .failure(error.during("reconcile"))
            }
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

    /// Scripts above this size (about 2,000 elements) run with the ruleset monitor paused.
    static let quietScriptBytes = 64 * 1024
    static let quietElements = 2_000

    /// Host elements changed in one netlink transaction (tolerant deletes — added, then deleted,
    /// so an element the kernel already let expire is no error — then additions with their own
    /// timeouts), on a thread of its own: 100k elements keep the kernel busy for a while. False
    /// when netlink refused or failed: the caller falls back to `nft -f`, whose error is the
    /// one reported.
    private static func loadHosts(in namespace: String, table: String, sets: [String], adds: [String: [(key: String, expiry: Double)]],
                                  deletes: [String: [String]], now: Double) async -> Bool {
        var steps: [NetfilterNetlink.Step] = []
        for set in sets {
            guard let keys = deletes[set], !keys.isEmpty else { continue }
            let elements = keys.compactMap { NetfilterNetlink.addressBytes($0).map { NetfilterNetlink.Element(key: $0) } }
            guard elements.count == keys.count else { return false }
            steps += [.add(set: set, elements), .delete(set: set, elements)]
        }
        for set in sets {
            guard let list = adds[set], !list.isEmpty else { continue }
            var elements: [NetfilterNetlink.Element] = []
            elements.reserveCapacity(list.count)
            for (key, expiry) in list {
                guard let bytes = NetfilterNetlink.addressBytes(key) else { return false }
                elements.append(.init(key: bytes, timeoutMilliseconds: Remaining.nftablesMilliseconds(expiry: expiry, now: now)))
            }
            steps.append(.add(set: set, elements))
        }
        let family = NetfilterNetlink.familyNumbers["inet"]!
        let transaction = steps
        return await OwnThread.run(named: "portcullis-netlink-load") {
            guard namespace.isEmpty || LibSymbols.enterNetworkNamespace(namespace) else { return false }
            do {
                let socket = try NetfilterNetlink.RequestSocket()
                defer { socket.close() }
                try NetfilterNetlink.transaction(family: family, table: table, on: socket, steps: transaction)
                return true
            } catch {
                return false
            }
        }
    }

    private func run(_ script: NftablesScript, operation: String) async throws(FirewallError) {
        let bytes = script.bytes
        let quiet = bytes.count > Self.quietScriptBytes ? monitor : nil
        quiet?.pause()
        defer { quiet?.resume() }
        try await nft.run(["-f", "-"], input: bytes, operation: operation)
    }

    /// Live networks of `set` lying strictly inside one of `networks`.
    private static func networks(in set: DesiredSet, inside networks: [NumericNetwork], now: Double)
        -> [(key: String, network: NumericNetwork)] {
        let lengths = Set(networks.map(\.length))
        let wanted = Set(networks)
        var out: [(key: String, network: NumericNetwork)] = []
        for (key, expiry) in set.elements where expiry > now && key.utf8.contains(UInt8(ascii: "/")) {
            guard let network = NumericNetwork(key: key) else { continue }
            if lengths.contains(where: { $0 < network.length && wanted.contains(network.masked(to: $0)) }) {
                out.append((key, network))
            }
        }
        return out
    }
}
