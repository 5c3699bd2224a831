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

        /// A later report of the id: fail2ban's `adjustTime`, then the count, the attempts and the
        /// matches (at most `maxMatches`, the latest).
        mutating func add(_ failure: FailureTicket, count: Int, findTime: Double, maxMatches: Int) {
            adjustWindow(to: failure.time, findTime: findTime)
            retry += count
            ticket.failures += 1
            if maxMatches <= 0 {
                ticket.matches = []
            } else {
                // Room for the id's next matches at once: the first ticket's array is the filter's
                // (shared), and growing it one report at a time allocated at each doubling.
                let needed = ticket.matches.count + failure.matches.count
                if needed > ticket.matches.capacity { ticket.matches.reserveCapacity(max(needed, min(maxMatches, 16))) }
                ticket.matches += failure.matches
                if ticket.matches.count > maxMatches { ticket.matches.removeFirst(ticket.matches.count - maxMatches) }
            }
        }

        /// fail2ban's `adjustTime`: a later failure moves the ticket's time; when the window grew
        /// past `findtime`, the retry count becomes the rate-based estimate for one `findtime`.
        private mutating func adjustWindow(to time: Double, findTime: Double) {
            guard time > ticket.time else { return }
            if firstTime < time - findTime {
                let estimate = Double(retry) / (time - firstTime) * findTime
                retry = Int(estimate.rounded(.toNearestOrEven))
                firstTime = time - findTime
            }
            ticket.time = time
        }
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
        guard let index = entries.index(forKey: failure.id) else {
            // The first report is kept as it came (fail2ban trims matches from the second one on).
            var ticket = failure
            ticket.failures = 1
            guard count < settings.maxRetry else { return ticket }
            entries[failure.id] = Entry(ticket: ticket, retry: count, firstTime: failure.time)
            return nil
        }
        // Updated in place: one lookup, and the matches grow without copying the array.
        entries.values[index].add(failure, count: count, findTime: settings.findTime, maxMatches: settings.maxMatches)
        return takeIfDue(at: index)
    }

    /// fail2ban's observer for known offenders (`bantime.increment`): the id's failures count
    /// `extra` times more. A no-op (returning nil) when the id is not being counted any more.
    public mutating func addExtra(_ extra: Int, for id: String) -> FailureTicket? {
        guard extra > 0, let index = entries.index(forKey: id) else { return nil }
        totalFailed += 1
        entries.values[index].retry += extra
        entries.values[index].ticket.failures += 1
        return takeIfDue(at: index)
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

    /// The ticket to ban when the id at `index` reached `maxretry` (the id is then forgotten).
    private mutating func takeIfDue(at index: [String: Entry].Index) -> FailureTicket? {
        guard entries.values[index].retry >= settings.maxRetry else { return nil }
        return entries.remove(at: index).value.ticket
    }
}
