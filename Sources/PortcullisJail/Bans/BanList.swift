/// fail2ban's BanManager: the current bans of one jail, in the order they were made, with the
/// totals `status` reports and the next moment a ban may end (so the daemon can sleep until then
/// instead of polling).
public struct BanList: Sendable {
    private var storage: [String: (sequence: Int, ticket: BanTicket)] = [:]
    /// Ban order; entries whose sequence no longer matches `storage` are stale and skipped.
    private var order: [(id: String, sequence: Int)] = []
    private var nextSequence = 0
    /// fail2ban's `_nextUnbanTime`: never later than the earliest end; may be earlier after removals.
    private var nextUnbanTime = Double.infinity

    /// "Total banned": every ban added, restored ones included (as fail2ban counts them).
    public private(set) var totalBanned = 0

    public init() {}

    /// "Currently banned".
    public var currentlyBanned: Int { storage.count }

    public func contains(_ id: String) -> Bool { storage[id] != nil }

    public func ticket(for id: String) -> BanTicket? { storage[id]?.ticket }

    /// The bans in the order they were made (`status`'s "Banned IP list").
    public var tickets: [BanTicket] {
        order.compactMap { entry in
            guard let stored = storage[entry.id], stored.sequence == entry.sequence else { return nil }
            return stored.ticket
        }
    }

    /// The bans by end time, permanent ones last (`get <jail> banip --with-time`).
    public var ticketsByExpiry: [BanTicket] {
        tickets.enumerated().sorted { a, b in
            a.element.sortableEnd != b.element.sortableEnd ? a.element.sortableEnd < b.element.sortableEnd : a.offset < b.offset
        }.map(\.element)
    }

    /// No later than the earliest end of a ban (nil when none can end). It may be earlier after an
    /// unban or a prolonged ban; `removeExpired` then finds nothing due and recomputes it. A ban
    /// is due once `now` is strictly after its end.
    public var nextExpiry: Double? { nextUnbanTime.isFinite ? nextUnbanTime : nil }

    /// Adds a ban. With `now`, a ban already over is refused (`.expired`). An id already banned
    /// stays as it is unless the new ban ends later: then its ban time is extended so that it ends
    /// `ticket.banTime` after the newer ban's time (permanent if the new ban is), as fail2ban does.
    @discardableResult
    public mutating func add(_ ticket: BanTicket, now: Double? = nil) -> BanOutcome {
        let end = ticket.sortableEnd
        if let now, end < now { return .expired(ticket) }
        if var stored = storage[ticket.id] {
            guard end > stored.ticket.sortableEnd else { return .alreadyBanned(stored.ticket) }
            if ticket.isPermanent {
                stored.ticket.banTime = ticket.banTime
            } else {
                stored.ticket.banTime = ticket.banTime + max(0, ticket.timeOfBan - stored.ticket.timeOfBan)
            }
            storage[ticket.id] = stored
            return .prolonged(stored.ticket)
        }
        storage[ticket.id] = (nextSequence, ticket)
        order.append((ticket.id, nextSequence))
        nextSequence += 1
        totalBanned += 1
        nextUnbanTime = min(nextUnbanTime, end)
        return .added(ticket)
    }

    /// Replaces the ticket of a banned id (e.g. after a ban time was computed), keeping its place.
    @discardableResult
    public mutating func update(_ ticket: BanTicket) -> Bool {
        guard let stored = storage[ticket.id] else { return false }
        storage[ticket.id] = (stored.sequence, ticket)
        nextUnbanTime = min(nextUnbanTime, ticket.sortableEnd)
        return true
    }

    /// Unbans `id`; nil when it was not banned.
    @discardableResult
    public mutating func remove(_ id: String) -> BanTicket? {
        guard let stored = storage.removeValue(forKey: id) else { return nil }
        compactIfNeeded()
        return stored.ticket
    }

    /// Unbans everything (fail2ban's flush), returning the bans in ban order.
    public mutating func removeAll() -> [BanTicket] {
        let all = tickets
        storage.removeAll()
        order.removeAll()
        nextUnbanTime = .infinity
        return all
    }

    /// The bans due at `now` (strictly after their end), removed, in ban order.
    public mutating func removeExpired(now: Double) -> [BanTicket] {
        guard nextUnbanTime <= now else { return [] }
        var due: [BanTicket] = []
        var next = Double.infinity
        for ticket in tickets {
            if ticket.isExpired(now: now) {
                due.append(ticket)
                storage[ticket.id] = nil
            } else {
                next = min(next, ticket.sortableEnd)
            }
        }
        nextUnbanTime = next
        compactIfNeeded()
        return due
    }

    private mutating func compactIfNeeded() {
        if storage.isEmpty {
            order.removeAll()
            nextUnbanTime = .infinity
        } else if order.count > 2 * storage.count + 32 {
            order = order.filter { storage[$0.id]?.sequence == $0.sequence }
        }
    }
}
