/// The data of a failure while it is being assembled (fail2ban's `fail` dict plus its extras).
struct FailureData {
    var fields: FailureFields
    var matches: [String] = []
    var nofailMatches: [String] = []
    var users: Set<String>? = nil
    var pending = false
    var lastDate: Double? = nil
}

/// Merges failures that share a connection id (`<F-MLFID>`) across lines, as fail2ban's
/// `_mergeFailure` does: users are gathered, `<F-NOFAIL>` and `<F-MLFGAINED>` suspend a
/// failure until more attempts show up, `<F-MLFFORGET>` drops the connection.
/// Bounded like fail2ban's cache: at most 100 connections, each kept 5 minutes.
struct MultiLineFailureCache {
    private var entries: [String: (expires: Double, data: FailureData, sequence: Int)] = [:]
    /// Insertion order for fail2ban's FIFO eviction; stale keys are skipped lazily.
    private var order: [(key: String, sequence: Int)] = []
    private var orderHead = 0
    private var nextSequence = 0
    static let maxCount = 100
    static let maxAge: Double = 300

    mutating func markPending(id: String?) {
        guard let id, var entry = entries[id] else { return }
        entry.data.pending = true
        entries[id] = entry
    }

    mutating func merge(id: String, failure: FailureData, matchedLines: [String], lastDate: Double?, now: Double) -> FailureData {
        var fail = failure
        var flags = 0 // 1 nofail, 2 forget, 4 previous nofail/gained, 8 gained
        if fail.fields.isTruthy("mlfgained") {
            flags |= 8 | 1
            if !fail.fields.isTruthy("nofail") { fail.fields["nofail"] = fail.fields["mlfgained"] }
        } else if fail.fields.isTruthy("nofail") {
            flags |= 1
        }
        if fail.fields.values.removeValue(forKey: "mlfforget").map({ !($0?.isEmpty ?? true) }) ?? false { flags |= 2 }
        var users: Set<String>? = nil
        if let cached = lookup(id, now: now) {
            var groups = cached
            users = Self.addUser(&groups, fail.fields["user"])
            if groups.fields.values.removeValue(forKey: "nofail").map({ !($0?.isEmpty ?? true) }) ?? false { flags |= 4 }
            if groups.fields.values.removeValue(forKey: "mlfgained").map({ !($0?.isEmpty ?? true) }) ?? false { flags |= 4 }
            if flags & 8 != 0 { groups.pending = false }
            if flags & 4 == 0 && !groups.pending { groups.matches = [] }
            groups.fields.update(with: fail.fields, skippingNil: true)
            fail = groups
        } else if flags & 2 == 0 {
            users = Self.addUser(&fail, fail.fields["user"])
            fail.lastDate = lastDate
        }
        if fail.pending || (users?.count ?? 0) > 1 {
            fail.pending = false
            fail.fields.values["nofail"] = nil
            fail.fields.values["mlfgained"] = nil
            flags &= ~(8 | 1)
        }
        if flags & 1 == 0 {
            var m = fail.nofailMatches
            fail.nofailMatches = []
            m += fail.matches
            if flags & 8 == 0 { m += matchedLines }
            fail.matches = m
        } else if flags & 3 == 1 {
            fail.nofailMatches += matchedLines
        }
        // The cache keeps the merged failure (fail2ban's cache holds the same dict), unless
        // this line ended the connection.
        if flags & 2 == 0 { store(id, fail, now: now) } else { entries[id] = nil }
        return fail
    }

    private static func addUser(_ data: inout FailureData, _ user: String?) -> Set<String>? {
        guard let user, !user.isEmpty else { return data.users }
        var users = data.users ?? []
        users.insert(user)
        data.users = users
        return users
    }

    private mutating func lookup(_ id: String, now: Double) -> FailureData? {
        guard let entry = entries[id] else { return nil }
        if entry.expires <= now { entries[id] = nil; return nil }
        return entry.data
    }

    /// fail2ban's `Utils.Cache.set`: a full cache drops its oldest entries first, stopping at the
    /// first one still valid once there is room. An existing key keeps its place.
    private mutating func store(_ id: String, _ data: FailureData, now: Double) {
        if let existing = entries[id] {
            entries[id] = (now + Self.maxAge, data, existing.sequence)
            return
        }
        if entries.count >= Self.maxCount {
            while orderHead < order.count {
                let oldest = order[orderHead]
                orderHead += 1
                guard let entry = entries[oldest.key], entry.sequence == oldest.sequence else { continue }
                entries[oldest.key] = nil
                if entry.expires > now && entries.count < Self.maxCount { break }
            }
            if orderHead > 1024 && orderHead * 2 > order.count {
                order.removeFirst(orderHead)
                orderHead = 0
            }
        }
        nextSequence += 1
        entries[id] = (now + Self.maxAge, data, nextSequence)
        order.append((id, nextSequence))
    }
}
