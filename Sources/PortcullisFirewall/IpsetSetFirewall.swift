import Foundation

/// Ban sets for hosts without nftables: one ipset `hash:net` per family and managed set (with
/// `timeout 0`, so each element carries its own timeout; nested networks are fine), matched by
/// iptables/ip6tables rules in chains of ours jumped from the top of INPUT.
///
/// Elements go in with ONE `ipset restore -exist` per batch (`-exist`: re-adding updates the
/// timeout, deleting a missing element is no error); rules with one `iptables-restore
/// --noflush` per family (the sibling of the `iptables` prefix's last word). Elements whose
/// remaining time exceeds ipset's 2,147,483 s limit go in without timeout; the daemon's unban or
/// a full reconcile removes them.
public actor IpsetSetFirewall: SerializedSetFirewall {
    var gate = FirewallGate()
    public let prefix: String
    private let ipset: FirewallCommand
    private let iptables: FirewallCommand
    private let ip6tables: FirewallCommand
    private let base: String
    private var sets: [String: DesiredSet] = [:]

    /// Largest number of elements per set.
    static let maxElements = 4_194_304

    /// - Parameters:
    ///   - prefix: names our base chain and starts every kernel name (see `KernelNames`).
    ///   - ipset, iptables, ip6tables: command prefixes; `iptables-restore`/`ip6tables-restore`
    ///     are run as the last word plus `-restore`.
    public init(prefix: String = "portcullis", ipset: [String] = ["ipset"], iptables: [String] = ["iptables"],
                ip6tables: [String] = ["ip6tables"], timeout: Double = 30) {
        self.prefix = prefix
        self.ipset = FirewallCommand(ipset, timeout: timeout)
        self.iptables = FirewallCommand(iptables, timeout: timeout)
        self.ip6tables = FirewallCommand(ip6tables, timeout: timeout)
        base = KernelNames.ipsetBaseChain(prefix: prefix)
    }

    private func names(_ name: String) -> KernelNames { KernelNames.ipset(name, prefix: prefix) }

    func installNow(_ set: ManagedSet) async throws(FirewallError) {
        let operation = "install \(set.name)"
        let desired = try DesiredSet.defining(set, keeping: sets[set.name])
        var all = sets
        all[set.name] = desired
        var script = ""
        createSets(names(set.name), into: &script)
        try await ipset.run(["restore", "-exist"], input: Array(script.utf8), operation: operation)
        try await writeRules(all, operation: operation)
        sets = all
    }

    func uninstallNow(setNamed name: String) async throws(FirewallError) {
        let operation = "uninstall \(name)"
        var rest = sets
        rest[name] = nil
        try await writeRules(rest, operation: operation)
        let kernelNames = names(name)
        for (command, family) in [(iptables, IptablesRules.Family.v4), (ip6tables, .v6)] {
            let listing = IptablesRules.Listing(try await command.run(["-S"], operation: operation))
            let rules = IptablesRules(base: base, family: family)
            let chains = listing.chains.contains(kernelNames.chain) ? [kernelNames.chain] : []
            let dropBase = rest.isEmpty && listing.chains.contains(base)
            guard !chains.isEmpty || dropBase else { continue }
            let input = rules.removalInput(chains: chains, dropBase: dropBase, inputJumps: listing.inputJumps(to: base).count)
            try await command.sibling("-restore").run(["--noflush"], input: Array(input.utf8), operation: operation)
        }
        let existing = Set(try await ipset.run(["list", "-n"], operation: operation).split(separator: "\n").map(String.init))
        let script = [kernelNames.ban4, kernelNames.ban6].filter(existing.contains).map { "destroy \($0)\n" }.joined()
        if !script.isEmpty { try await ipset.run(["restore", "-exist"], input: Array(script.utf8), operation: operation) }
        sets = rest
    }

    func applyNow(setNamed name: String, add: [BanElement], remove: [String], now: Double) async throws(FirewallError) {
        let operation = "apply \(name)"
        // Taken out of `sets` while changed, so a million elements are not copied on write.
        guard var desired = sets.removeValue(forKey: name) else {
            throw FirewallError(message: "set '\(name)' is not installed").during(operation)
        }
        desired.reserveCapacity(desired.count + add.count)
        let kernelNames = names(name)
        var script = ""
        script.reserveCapacity(add.count * 40 + remove.count * 32)
        for text in remove {
            guard let (key, _) = AddressKey.parse(text), desired.remove(key) else { continue }
            script += "del \(AddressKey.isIPv6(key) ? kernelNames.ban6 : kernelNames.ban4) \(key)\n"
        }
        for element in add {
            let expiry = element.expiry ?? .infinity
            guard expiry > now, let (key, network) = AddressKey.parse(element.address), network.length > 0 else { continue }
            desired.insert(key, network: network, expiry: expiry)
            Self.addLine(key, expiry: expiry, now: now, names: kernelNames, into: &script)
        }
        sets[name] = desired
        guard !script.isEmpty else { return }
        do {
            try await ipset.run(["restore", "-exist"], input: Array(script.utf8), operation: operation)
        } catch {
            if case .failure = await reconcileNow(full: true, now: now) { throw error }
        }
    }

    func flushNow(setNamed name: String) async throws(FirewallError) {
        guard var desired = sets[name] else { throw FirewallError(message: "set '\(name)' is not installed").during("flush \(name)") }
        let kernelNames = names(name)
        let script = "flush \(kernelNames.ban4)\nflush \(kernelNames.ban6)\n"
        try await ipset.run(["restore", "-exist"], input: Array(script.utf8), operation: "flush \(name)")
        desired.removeAll()
        sets[name] = desired
    }

    public func elements(ofSetNamed name: String) -> [String] {
        sets[name].map { Array($0.elements.keys) } ?? []
    }

    func kernelElementsNow(ofSetNamed name: String) async throws(FirewallError) -> [String] {
        let kernelNames = names(name)
        let saved = Self.savedElements(try await ipset.run(["save"], operation: "list \(name)"))
        return (saved[kernelNames.ban4] ?? []) + (saved[kernelNames.ban6] ?? [])
    }

    func reconcileNow(full: Bool, now: Double) async -> Result<RepairReport, FirewallError> {
        let start = Date().timeIntervalSince1970
        do {
            var report = try await reconcileOnce(full: full, now: now)
            report.duration = Date().timeIntervalSince1970 - start
            return .success(report)
        } catch {
            return .failure(error)
        }
    }

    private func reconcileOnce(full: Bool, now: Double) async throws(FirewallError) -> RepairReport {
        for name in sets.keys { sets[name]?.pruneExpired(now: now) }
        guard !sets.isEmpty else { return RepairReport() }
        var report = RepairReport()

        // Rules: both families checked with `-S`, rewritten whole when anything is off.
        let entries = ruleEntries(sets)
        var rulesBroken = false
        for (command, family) in [(iptables, IptablesRules.Family.v4), (ip6tables, .v6)] {
            let listing = IptablesRules.Listing(try await command.run(["-S"], operation: "reconcile"))
            if !IptablesRules(base: base, family: family).intact(listing, entries) { rulesBroken = true }
        }

        // Sets: names for the cheap check, `ipset save` for the full one.
        var script = ""
        let kernelSets: Set<String>
        var saved: [String: [String]] = [:]
        if full {
            saved = Self.savedElements(try await ipset.run(["save"], operation: "reconcile"))
            kernelSets = Set(saved.keys)
        } else {
            kernelSets = Set(try await ipset.run(["list", "-n"], operation: "reconcile").split(separator: "\n").map(String.init))
        }
        for (name, set) in sets.sorted(by: { $0.key < $1.key }) {
            let kernelNames = names(name)
            let live = set.live(now: now)
            if !kernelSets.contains(kernelNames.ban4) || !kernelSets.contains(kernelNames.ban6) {
                report.restoredStructure = true
                rulesBroken = true
                createSets(kernelNames, into: &script)
                for (key, expiry) in live { Self.addLine(key, expiry: expiry, now: now, names: kernelNames, into: &script) }
                report.restoredElements += live.count
                continue
            }
            guard full else { continue }
            let present = Set((saved[kernelNames.ban4] ?? []) + (saved[kernelNames.ban6] ?? []))
            var wanted = Set<String>()
            wanted.reserveCapacity(live.count)
            for (key, expiry) in live {
                wanted.insert(key)
                guard !present.contains(key) else { continue }
                Self.addLine(key, expiry: expiry, now: now, names: kernelNames, into: &script)
                report.restoredElements += 1
            }
            for key in present where !wanted.contains(key) {
                script += "del \(AddressKey.isIPv6(key) ? kernelNames.ban6 : kernelNames.ban4) \(key)\n"
                report.removedElements += 1
            }
        }
        if !script.isEmpty { try await ipset.run(["restore", "-exist"], input: Array(script.utf8), operation: "reconcile") }
        if rulesBroken {
            try await writeRules(sets, operation: "reconcile")
            report.restoredStructure = true
        }
        report.repaired = !script.isEmpty || rulesBroken
        return report
    }

    private func ruleEntries(_ sets: [String: DesiredSet]) -> [(names: KernelNames, set: DesiredSet)] {
        sets.sorted { $0.key < $1.key }.map { (names($0.key), $0.value) }
    }

    /// Rewrites our chains in both families for `sets`, INPUT's jump on top.
    private func writeRules(_ sets: [String: DesiredSet], operation: String) async throws(FirewallError) {
        let entries = ruleEntries(sets)
        for (command, family) in [(iptables, IptablesRules.Family.v4), (ip6tables, .v6)] {
            let listing = IptablesRules.Listing(try await command.run(["-S", "INPUT"], operation: operation))
            let jumps = listing.inputJumps(to: base)
            let input = IptablesRules(base: base, family: family).restoreInput(entries, inputJumps: jumps.count, jumpOnTop: jumps.onTop)
            try await command.sibling("-restore").run(["--noflush"], input: Array(input.utf8), operation: operation)
        }
    }

    private func createSets(_ kernelNames: KernelNames, into script: inout String) {
        script += "create \(kernelNames.ban4) hash:net family inet timeout 0 maxelem \(Self.maxElements)\n"
        script += "create \(kernelNames.ban6) hash:net family inet6 timeout 0 maxelem \(Self.maxElements)\n"
    }

    private static func addLine(_ key: String, expiry: Double, now: Double, names: KernelNames, into script: inout String) {
        script += "add "
        script += AddressKey.isIPv6(key) ? names.ban6 : names.ban4
        script += " "
        script += key
        script += " timeout "
        script += String(Remaining.ipsetSeconds(expiry: expiry, now: now))
        script += "\n"
    }

    /// `ipset save` output: set name → element texts (`add NAME ELEMENT [timeout N]`); every
    /// created set appears, empty ones too.
    static func savedElements(_ text: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ", maxSplits: 3)
            guard words.count >= 2 else { continue }
            if words[0] == "create" { out[String(words[1]), default: []] = out[String(words[1])] ?? [] }
            if words[0] == "add", words.count >= 3 { out[String(words[1]), default: []].append(String(words[2])) }
        }
        return out
    }
}
