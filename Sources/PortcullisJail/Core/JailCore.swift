import PortcullisFilter

/// The decision core of one jail — failure counting, bans, ban-time increments, ban history and
/// the ignore list — as one value the daemon's jail actor owns and mutates synchronously. Time
/// and randomness come in as arguments; the ignore list is consulted by the daemon (it may need
/// DNS or `ignorecommand`) before failures are handed in.
public struct JailCore: Sendable {
    public let name: String
    public var failures: FailureCounter
    public var bans: BanList
    public var ignoreList: IgnoreList
    /// This jail's ban history per id (fail2ban's `bips` rows for the jail): seeded from the store
    /// at start, updated on each new ban, forgotten on a manual unban.
    public private(set) var history: [String: BanHistoryEntry] = [:]
    /// fail2ban purges failures at most every 5 seconds after a ban.
    private var nextServiceTime = -Double.infinity

    public init(name: String, settings: JailSettings, ignoreList: IgnoreList) {
        self.name = name
        self.failures = FailureCounter(settings: settings)
        self.bans = BanList()
        self.ignoreList = ignoreList
    }

    /// The jail's settings (shared with `failures`); `set <jail> …` at run time changes them here.
    public var settings: JailSettings {
        get { failures.settings }
        set { failures.settings = newValue }
    }

    /// Adds (or replaces) history entries read from the store.
    public mutating func seedHistory(_ entries: [String: BanHistoryEntry]) {
        history.merge(entries) { $1 }
    }

    /// A failure from the filter (already checked against the ignore list).
    ///
    /// As fail2ban: a failure dated in the future counts as now; with `bantime.increment`, a
    /// failure of an id banned before (and newer than that ban) counts more — as
    /// `2^(bans-1) + 1` failures, at most `maxretry` — so known offenders are banned sooner.
    /// `overallHistory` is for `bantime.overalljails`: the merge of every jail's history of the
    /// id (`BanHistoryEntry.merged`); without it this jail's own history is used.
    public mutating func handle(_ failure: FailureTicket, now: Double, random: Double,
                                overallHistory: BanHistoryEntry? = nil) -> JailDecision {
        var failure = failure
        if failure.time > now { failure.time = now }
        if let due = failures.add(failure, now: now) {
            return banFromFailures(due, now: now, random: random, overallHistory: overallHistory)
        }
        if settings.increment != nil, let known = history[failure.id], known.count > 0, failure.time > known.timeOfBan {
            let weight = min((1 << min(known.count, 20)) / 2 + 1, settings.maxRetry)
            if weight > 1, let due = failures.addExtra(weight - 1, for: failure.id) {
                return banFromFailures(due, now: now, random: random, overallHistory: overallHistory)
            }
        }
        return .counted(failures: failures.failures(for: failure.id))
    }

    /// `set <jail> attempt <id> [message …]`: a failure now that counts once per message (at
    /// least once), with no ignore check and no increment weighting, as fail2ban's `addAttempt`.
    public mutating func attempt(_ id: String, matches: [String], now: Double, random: Double,
                                 overallHistory: BanHistoryEntry? = nil) -> JailDecision {
        let failure = FailureTicket(id: Self.canonicalID(id), time: now, matches: matches, failures: max(1, matches.count))
        if let due = failures.add(failure, now: now) {
            return banFromFailures(due, now: now, random: random, overallHistory: overallHistory)
        }
        return .counted(failures: failures.failures(for: failure.id))
    }

    /// `set <jail> banip <id>`: a ban as of now with no failures, its ban time and count from the
    /// history and the increment like any other ban. Not checked against the ignore list (fail2ban
    /// does not either).
    public mutating func manualBan(_ id: String, now: Double, random: Double,
                                   overallHistory: BanHistoryEntry? = nil) -> JailDecision {
        let ticket = FailureTicket(id: Self.canonicalID(id), time: now, matches: [], failures: 0)
        return ban(ticket, now: now, random: random, overallHistory: overallHistory)
    }

    /// `set <jail> unbanip <id>`: lifts the ban (nil when not banned) and forgets the id's history
    /// either way — fail2ban deletes the id's records from the database on a manual unban.
    public mutating func unban(_ id: String) -> BanTicket? {
        let id = Self.canonicalID(id)
        history[id] = nil
        return bans.remove(id)
    }

    /// fail2ban's unban of a network (`unbanip 10.0.0.0/8`): every banned id inside it.
    public mutating func unban(in network: IPAddress) -> [BanTicket] {
        let inside = bans.tickets.filter { ticket in
            guard let address = IPAddress(ticket.id) else { return false }
            return IgnoreEntry.isInNet(address, network)
        }
        return inside.compactMap { unban($0.id) }
    }

    /// `unban --all` / `set <jail> unbanip --all`: lifts every ban. `forgetHistory` as a manual
    /// unban does (fail2ban then empties the jail's records); pass false when stopping the jail.
    public mutating func unbanAll(forgetHistory: Bool = true) -> [BanTicket] {
        if forgetHistory { history.removeAll() }
        return bans.removeAll()
    }

    /// The bans due at `now`, removed (history kept: it is what the next increment grows from).
    public mutating func expire(now: Double) -> [BanTicket] {
        bans.removeExpired(now: now)
    }

    /// A ban re-instated from the store at start. As fail2ban: its ban time is cut to the jail's
    /// longest (`bantime`, or `bantime.maxtime` with increments), it is dropped when already over,
    /// it is marked `restored`, and it counts in "Total banned". Its `banCount` is kept as stored.
    /// Returns whether it was added. (Checking the ignore list first is the daemon's part.)
    @discardableResult
    public mutating func restore(_ ticket: BanTicket, now: Double) -> Bool {
        var ticket = ticket
        ticket.id = Self.canonicalID(ticket.id)
        ticket.restored = true
        let longest = settings.maxBanTime
        if longest >= 0, ticket.banTime < 0 || ticket.banTime > longest { ticket.banTime = longest }
        if let end = ticket.endTime, end <= now { return false }
        guard case .added = bans.add(ticket, now: now) else { return false }
        if let known = history[ticket.id], known.timeOfBan >= ticket.timeOfBan { return true }
        history[ticket.id] = BanHistoryEntry(count: ticket.banCount, timeOfBan: ticket.timeOfBan, banTime: ticket.banTime)
        return true
    }

    /// fail2ban's filter service: forgets failures older than `findtime`, at most every 5 seconds
    /// unless forced. The jail runs it after each ban; fail2ban also runs it every 100 log lines.
    public mutating func performService(now: Double, force: Bool = false) {
        guard force || now >= nextServiceTime else { return }
        nextServiceTime = now + 5
        failures.purge(now: now)
    }

    /// Canonical text for an id given by a person (`::ffff:192.0.2.1` is `192.0.2.1`).
    public static func canonicalID(_ id: String) -> String {
        IPAddress(id)?.description ?? id
    }

    // MARK: Banning

    private mutating func banFromFailures(_ ticket: FailureTicket, now: Double, random: Double,
                                          overallHistory: BanHistoryEntry?) -> JailDecision {
        let decision = ban(ticket, now: now, random: random, overallHistory: overallHistory)
        performService(now: now)
        return decision
    }

    /// fail2ban's `__checkBan` with the observer's `banFound`: refuse a ban already over, leave an
    /// existing ban (or prolong it), else ban with the base time, then grow the time and count from
    /// the history, and record the ban in the history.
    private mutating func ban(_ failure: FailureTicket, now: Double, random: Double,
                              overallHistory: BanHistoryEntry?) -> JailDecision {
        let base = BanTicket(failure, banTime: settings.banTime, banCount: 1)
        switch bans.add(base, now: now) {
        case .expired(let t): return .expired(t)
        case .alreadyBanned(let t): return .alreadyBanned(t)
        case .prolonged(let t): return .prolonged(t)
        case .added: break
        }
        var ticket = base
        applyIncrement(to: &ticket, random: random, overallHistory: overallHistory)
        bans.update(ticket)
        let over = ticket.endTime.map { $0 < now } ?? false
        if !ticket.restored && !over {
            history[ticket.id] = BanHistoryEntry(count: ticket.banCount, timeOfBan: ticket.timeOfBan, banTime: ticket.banTime)
        }
        return .ban(ticket)
    }

    /// fail2ban's `incrBanTime`: the count is one more than the history's; a positive ban time grows
    /// by the increment for a repeat offender; a ban not newer than the last recorded one is a
    /// re-read of it (after a restart) and is marked `restored` so it is not stored twice.
    private func applyIncrement(to ticket: inout BanTicket, random: Double, overallHistory: BanHistoryEntry?) {
        guard let increment = settings.increment else { return }
        let own = history[ticket.id]
        guard let known = increment.overallJails ? (overallHistory ?? own) : own else { return }
        ticket.banCount = max(ticket.banCount, known.count + 1)
        guard ticket.banTime > 0 else { return }
        if known.count > 0 {
            ticket.banTime = increment.banTime(base: ticket.banTime, banCount: known.count, random: random)
        }
        if !(ticket.timeOfBan > known.timeOfBan) { ticket.restored = true }
    }
}
