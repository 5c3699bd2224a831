/// fail2ban's FailManager: the failures of each id still inside `findtime`, and the moment an
/// id reaches `maxretry`. Kept as fail2ban keeps it, because its arithmetic is observable: when a
/// failure arrives more than `findtime` after an id's first counted failure, the count is not
/// reset but re-estimated from the rate so far (`retry / elapsed * findtime`, rounded half to
/// even); only `purge(now:)` forgets ids whose latest failure is older than `findtime`.
public struct FailureCounter: Sendable {
    /// What is known about one id.
    struct Entry: Sendable {
        var ticket: FailureTicket
        /// fail2ban's retry count: what is compared with `maxretry`.
        var retry: Int
        /// Start of the counting window (moves forward when the count is re-estimated).
        var firstTime: Double
    }

    /// Settable: `set <jail> maxretry|findtime|maxmatches` apply from the next failure on.
    public var settings: JailSettings
    private var entries: [String: Entry] = [:]
    /// "Total failed": every failure added (fail2ban also counts the extra report it adds for a
    /// known offender with `bantime.increment`).
    public private(set) var totalFailed = 0

    public init(settings: JailSettings) {
        self.settings = settings
    }

    /// "Currently failed": ids with failures not yet purged.
    public var currentlyFailed: Int { entries.count }

    /// The retry count of `id` (0 when unknown).
    public func failures(for id: String) -> Int { entries[id]?.retry ?? 0 }

    /// The ticket gathered so far for `id`.
    public func ticket(for id: String) -> FailureTicket? { entries[id]?.ticket }

    /// Adds a failure; returns the ticket to ban when the id reached `maxretry` (and forgets the
    /// id, like fail2ban's `toBan`). `now` is not used for counting (fail2ban counts by the
    /// failures' own times); it is accepted so callers need not care.
    public mutating func add(_ failure: FailureTicket, now: Double) -> FailureTicket? {
        let count = max(failure.failures, 1)
        totalFailed += 1
        if var entry = entries[failure.id] {
            adjustWindow(&entry, to: failure.time)
            entry.retry += count
            entry.ticket.failures += 1
            if settings.maxMatches > 0 { entry.ticket.matches += failure.matches }
            trimMatches(&entry)
            entries[failure.id] = entry
        } else {
            // The first report is kept as it came (fail2ban trims matches from the second one on).
            var ticket = failure
            ticket.failures = 1
            entries[failure.id] = Entry(ticket: ticket, retry: count, firstTime: failure.time)
        }
        return takeIfDue(failure.id)
    }

    /// fail2ban's observer for known offenders (`bantime.increment`): the id's failures count
    /// `extra` times more. A no-op (returning nil) when the id is not being counted any more.
    public mutating func addExtra(_ extra: Int, for id: String) -> FailureTicket? {
        guard extra > 0, var entry = entries[id] else { return nil }
        totalFailed += 1
        entry.retry += extra
        entry.ticket.failures += 1
        entries[id] = entry
        return takeIfDue(id)
    }

    /// Drops ids whose latest failure is `findtime` or more before `now`.
    public mutating func purge(now: Double) {
        let limit = now - settings.findTime
        entries = entries.filter { $0.value.ticket.time > limit }
    }

    /// Forgets `id` (fail2ban's `delFailure`).
    public mutating func remove(_ id: String) {
        entries[id] = nil
    }

    /// Forgets everything counted (totals stay).
    public mutating func removeAll() {
        entries.removeAll()
    }

    private mutating func takeIfDue(_ id: String) -> FailureTicket? {
        guard let entry = entries[id], entry.retry >= settings.maxRetry else { return nil }
        entries[id] = nil
        return entry.ticket
    }

    /// fail2ban's `adjustTime`: a later failure moves the ticket's time; when the window grew past
    /// `findtime`, the retry count becomes the rate-based estimate for one `findtime`.
    private func adjustWindow(_ entry: inout Entry, to time: Double) {
        guard time > entry.ticket.time else { return }
        let findTime = settings.findTime
        if entry.firstTime < time - findTime {
            let estimate = Double(entry.retry) / (time - entry.firstTime) * findTime
            entry.retry = Int(estimate.rounded(.toNearestOrEven))
            entry.firstTime = time - findTime
        }
        entry.ticket.time = time
    }

    private func trimMatches(_ entry: inout Entry) {
        let limit = settings.maxMatches
        if limit <= 0 {
            entry.ticket.matches = []
        } else if entry.ticket.matches.count > limit {
            entry.ticket.matches = Array(entry.ticket.matches.suffix(limit))
        }
    }
}
