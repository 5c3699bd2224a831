/// Waiting room for a firewall's operations: an actor is re-entered at every `await`, and a
/// firewall awaits its `nft`/`ipset` processes, so without this a reconcile could list the kernel
/// while a 100,000-element batch is being loaded, find it "missing" and load it a second time.
struct FirewallGate: Sendable {
    var busy = false
    var waiters: [CheckedContinuation<Void, Never>] = []
    /// An apply failed even after its own repair: the desired state holds elements the kernel
    /// may lack, so the next reconcile compares every element, however cheap it was asked to be.
    var needsFullCheck = false
}

/// A `SetFirewall` whose operations run one at a time, in call order: each public operation
/// waits for the gate, then runs its `…Now` implementation (which may call other `…Now`s freely).
protocol SerializedSetFirewall: SetFirewall {
    var gate: FirewallGate { get set }
    func installNow(_ set: ManagedSet) async throws(FirewallError)
    func uninstallNow(setNamed name: String) async throws(FirewallError)
    func applyNow(setNamed name: String, add: [BanElement], remove: [String], now: Double) async throws(FirewallError)
    func flushNow(setNamed name: String) async throws(FirewallError)
    func kernelElementsNow(ofSetNamed name: String) async throws(FirewallError) -> [String]
    func reconcileNow(full: Bool, now: Double) async -> Result<RepairReport, FirewallError>
}

extension SerializedSetFirewall {
    public func install(_ set: ManagedSet) async throws(FirewallError) {
        try await exclusive { () async throws(FirewallError) in try await installNow(set) }
    }

    public func uninstall(setNamed name: String) async throws(FirewallError) {
        try await exclusive { () async throws(FirewallError) in try await uninstallNow(setNamed: name) }
    }

    public func apply(setNamed name: String, add: [BanElement], remove: [String], now: Double) async throws(FirewallError) {
        do {
            try await exclusive { () async throws(FirewallError) in try await applyNow(setNamed: name, add: add, remove: remove, now: now) }
        } catch {
            gate.needsFullCheck = true
            throw error
        }
    }

    public func flush(setNamed name: String) async throws(FirewallError) {
        try await exclusive { () async throws(FirewallError) in try await flushNow(setNamed: name) }
    }

    public func kernelElements(ofSetNamed name: String) async throws(FirewallError) -> [String] {
        try await exclusive { () async throws(FirewallError) in try await kernelElementsNow(ofSetNamed: name) }
    }

    public func reconcile(full: Bool, now: Double) async -> Result<RepairReport, FirewallError> {
        do {
            return try await exclusive { () async throws(FirewallError) in
                let result = await reconcileNow(full: full || gate.needsFullCheck, now: now)
                if case .success = result { gate.needsFullCheck = false }
                return result
            }
        } catch {
            return .failure(error)
        }
    }

    private func exclusive<T>(_ body: () async throws(FirewallError) -> T) async throws(FirewallError) -> T {
        while gate.busy {
            await withCheckedContinuation { gate.waiters.append($0) }
        }
        gate.busy = true
        defer {
            gate.busy = false
            if !gate.waiters.isEmpty { gate.waiters.removeFirst().resume() }
        }
        return try await body()
    }
}
