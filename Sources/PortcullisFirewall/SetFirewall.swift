/// A firewall backend that keeps ban sets in the kernel as a projection of a desired state it
/// holds, applied in batches (one atomic transaction per call) and repaired by `reconcile`.
///
/// Call `install` for a set before `apply`ing to it; `apply` to an unknown set throws. The
/// desired state lives in memory only: the daemon re-installs and re-applies from its ban store
/// at start.
public protocol SetFirewall: Actor {
    /// Creates table/chains/sets/rules for `set` (idempotent; replaces its whitelist/scope if changed).
    func install(_ set: ManagedSet) async throws(FirewallError)
    /// Removes the set's rules, chain and sets from the kernel and the desired state (jail stop).
    func uninstall(setNamed name: String) async throws(FirewallError)
    /// Adds and removes elements of one set in ONE transaction; `now` decides remaining timeouts.
    /// Elements already past expiry are skipped; unparsable addresses are skipped.
    func apply(setNamed name: String, add: [BanElement], remove: [String], now: Double) async throws(FirewallError)
    /// Empties one set (kernel + desired), structure kept.
    func flush(setNamed name: String) async throws(FirewallError)
    /// Desired elements of a set (for tests / export), canonical text, in no particular order.
    func elements(ofSetNamed name: String) -> [String]
    /// Addresses present in the kernel set(s) of `name` now (IPv4 and IPv6 sets together), canonical text.
    func kernelElements(ofSetNamed name: String) async throws(FirewallError) -> [String]
    /// Compares kernel vs desired and restores what is missing in one batch. `full: false` =
    /// structural check only (cheap); a structural loss always re-adds every element of the
    /// affected sets.
    func reconcile(full: Bool, now: Double) async -> Result<RepairReport, FirewallError>
}
