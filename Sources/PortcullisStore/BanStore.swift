/// The ban store seam: SQLite now, PostgreSQL later for a fleet.
///
/// The daemon writes a ban here before any action runs (DESIGN.md: "a ban is durable in the store
/// before any action runs"), so every method that changes state returns only after its transaction
/// committed. The store keeps three views of bans:
/// - *current bans*: one row per jail and address, the ban in force (or lately in force); what a
///   restart restores and what the reconciler projects onto the firewall;
/// - *history*: every ban ever added until `purge` drops it; feeds `mergedBans` (action tags);
/// - *ban history*: the latest ban count and time per jail and address, for `bantime.increment`; it
///   survives unbans and outlives plain history in `purge` while a long ban could still matter.
///
/// Times are seconds since 1970 (`Double`); the store never reads a clock, callers pass `now`.
public protocol BanStore: Actor {
    /// Records a jail (enabled), or re-enables it.
    func addJail(_ name: String) async throws(StoreError)
    /// Marks a jail enabled or disabled; a disabled jail without bans is forgotten by `purge`.
    func setJailEnabled(_ name: String, _ enabled: Bool) async throws(StoreError)
    /// Jail names, sorted; only enabled (or disabled) ones when `enabled` is given.
    func jailNames(enabled: Bool?) async throws(StoreError) -> [String]

    /// Adds a ban to the history and makes it the current ban of its jail and address (replacing the
    /// previous one). Committed on return: see `SQLiteBanStore.Durability` for what survives what.
    func addBan(_ ban: StoredBan) async throws(StoreError)
    /// Adds many bans in one transaction (feeds, imports): all or none.
    func addBans(_ bans: [StoredBan]) async throws(StoreError)
    /// Unbans: removes the current ban of `ip` in `jail`; history and ban history stay.
    func removeBan(jail: String, ip: String) async throws(StoreError)
    /// Unbans many addresses of one jail in one transaction (expiry, a batch of manual unbans).
    func removeBans(jail: String, ips: [String]) async throws(StoreError)
    /// Unbans every address of one jail, or of every jail when `jail` is nil; history stays.
    func removeBans(jail: String?) async throws(StoreError)
    /// fail2ban's manual unban (`unbanip`, `unban --all`), which also resets `bantime.increment`:
    /// removes the current ban, the history and the ban history of `ip` (every address when nil) in
    /// `jail` (every jail when nil).
    func forgetBans(jail: String?, ip: String?) async throws(StoreError)
    /// Current bans still in force at `now` (permanent ones included), of one jail or of all,
    /// sorted by jail, then address (byte order).
    func currentBans(jail: String?, now: Double) async throws(StoreError) -> [StoredBan]

    /// The latest ban of `ip` in `jail`, or over every jail when `jail` is nil (fail2ban's
    /// `bantime.overalljails`: ban counts summed, latest ban time); nil if never banned.
    func banHistory(ip: String, jail: String?) async throws(StoreError) -> BanHistory?
    /// `banHistory` for every address at once, keyed by address (seeding the jail at start).
    func banHistories(jail: String?) async throws(StoreError) -> [String: BanHistory]
    /// Every recorded ban of `ip` (in `jail`, or in every jail) merged; nil if none.
    func mergedBans(ip: String, jail: String?) async throws(StoreError) -> MergedBans?

    /// Where `jail` stopped reading `path`, if recorded.
    func logPosition(jail: String, path: String) async throws(StoreError) -> StoredLogPosition?
    /// Records positions (one transaction), replacing earlier ones of the same jail and path.
    func setLogPositions(_ positions: [StoredLogPosition]) async throws(StoreError)

    /// Forgets what is older than `olderThan` (a time, seconds since 1970: typically now − dbpurgeage):
    /// current bans that ended before it; history bans that began before it, unless still current;
    /// ban history whose latest ban began before it and, at three times its length, also ended before
    /// it (permanent bans stay); disabled jails left without bans, with their log positions. Returns
    /// the history bans removed.
    func purge(olderThan: Double) async throws(StoreError) -> Int

    /// Releases the database; later calls fail with `StoreError.Kind.closed`.
    func close() async throws(StoreError)
}
