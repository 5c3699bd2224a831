/// A failure while it is being assembled (fail2ban's `fail` dict plus its extras).
///
/// A class: the connection cache and the hit reported for a line share one record; the
/// cache copies it before changing it while a reported hit still holds it.
final class FailureRecord {
    @exclusivity(unchecked) var fields: FailureFields
    @exclusivity(unchecked) var matches = LineList()
    @exclusivity(unchecked) var nofailMatches = LineList()
    @exclusivity(unchecked) var users: Set<String>? = nil
    /// The user added last (lines of a connection usually repeat it: no need to hash it again).
    @exclusivity(unchecked) var lastUser: String? = nil
    @exclusivity(unchecked) var pending = false
    @exclusivity(unchecked) var lastDate: Double? = nil

    init(fields: FailureFields) { self.fields = fields }

    /// Empties the record for reuse (storage kept).
    func reset() {
        fields.removeAll()
        matches.removeAll()
        nofailMatches.removeAll()
        // An empty set reads as no users; its storage is kept for the next connection.
        if users != nil { users!.removeAll(keepingCapacity: true) }
        lastUser = nil
        pending = false
        lastDate = nil
    }

    func copy() -> FailureRecord {
        let c = FailureRecord(fields: fields)
        c.matches = matches.copy()
        c.nofailMatches = nofailMatches.copy()
        c.users = users
        c.lastUser = lastUser
        c.pending = pending
        c.lastDate = lastDate
        return c
    }
}

/// The log lines a match covers, as written: the current line (shown with the date kept
/// from an earlier line when it has none), or the buffered lines of a multi-line match.
/// Copied into a failure's ``LineList`` only when they join it.
enum MatchedLines {
    case line(UnsafeBufferPointer<UInt8>, datePrefix: UnsafeBufferPointer<UInt8>?)
    case buffered([TupleLine])

    func append(to list: inout LineList) {
        switch self {
        case .line(let line, let prefix?): list.append(prefix, line)
        case .line(let line, nil): list.append(line)
        case .buffered(let tuples): for tuple in tuples { tuple.appendText(to: &list) }
        }
    }
}

/// Merges failures that share a connection id (`<F-MLFID>`) across lines, as fail2ban's
/// `_mergeFailure` does: users are gathered, `<F-NOFAIL>` and `<F-MLFGAINED>` suspend a
/// failure until more attempts show up, `<F-MLFFORGET>` drops the connection.
/// Bounded like fail2ban's cache: at most 100 connections, each kept 5 minutes.
///
/// A connection's entry is updated in place: a line costs one lookup of its id, and the
/// entry's lists grow without being copied.
struct MultiLineFailureCache {
    private struct Entry {
        var expires: Double
        var record: FailureRecord
    }

    private var entries = ConnectionTable<Entry>()
    /// Insertion order for fail2ban's FIFO eviction; stale entries are skipped lazily.
    private var order: [(slot: Int, sequence: Int)] = []
    private var orderHead = 0
    private var nextSequence = 0
    static let maxCount = 100
    static let maxAge: Double = 300

    mutating func markPending(id: UnsafeBufferPointer<UInt8>?) {
        guard let id, let i = entries.find(id, hash: ConnectionTable<Entry>.hash(id)) else { return }
        entries[i].record.pending = true
    }

    /// Flags of one merge.
    private struct Flags: OptionSet {
        let rawValue: Int
        static let nofail = Flags(rawValue: 1)
        static let forget = Flags(rawValue: 2)
        static let previousNofail = Flags(rawValue: 4)
        static let gained = Flags(rawValue: 8)
    }

    /// Merges the current match (`line`: the prefregex's and failregex's groups) into
    /// connection `id`; returns the merged failure. `matchedLines` are taken only when they
    /// join the failure's lines.
    /// `cached`: whether the cache keeps the record (a forgotten connection's is only returned).
    mutating func merge(id: UnsafeBufferPointer<UInt8>, line: LineCaptures, matchedLines: MatchedLines,
                        lastDate: Double?, now: Double, pool: inout RecordPool) -> (record: FailureRecord, cached: Bool) {
        let t = line.table
        var flags: Flags = []
        if line[t.mlfgained].isTruthy {
            flags.formUnion([.gained, .nofail])
            if !line[t.nofail].isTruthy { line.own.set(t.nofail, line[t.mlfgained]) }
        } else if line[t.nofail].isTruthy {
            flags.insert(.nofail)
        }
        let forget = line[t.mlfforget]
        if forget.isPresent { line.own.set(t.mlfforget, .deleted) }
        if forget.isTruthy { flags.insert(.forget) }

        let hash = ConnectionTable<Entry>.hash(id)
        var index = entries.find(id, hash: hash)
        if let i = index, entries[i].expires <= now {
            var expired = entries.remove(at: i).record
            pool.recycle(&expired)
            index = nil
        }
        guard let i = index else {
            let fail = pool.record(for: line)
            if !flags.contains(.forget) {
                Self.addUser(fail, line[t.user])
                fail.lastDate = lastDate
            }
            Self.finish(fail, &flags, matchedLines)
            if flags.contains(.forget) { return (fail, false) }
            insert(id, hash: hash, fail, now: now, pool: &pool)
            return (fail, true)
        }
        // A hit reported earlier may still hold the record: change a copy then.
        if !isKnownUniquelyReferenced(&entries[i].record) { entries[i].record = entries[i].record.copy() }
        let record = entries[i].record
        Self.update(record, with: line, &flags, matchedLines)
        if flags.contains(.forget) {
            entries.remove(at: i)
            return (record, false)
        }
        entries[i].expires = now + Self.maxAge
        return (record, true)
    }

    /// The cached failure of the connection takes the new line's fields.
    private static func update(_ groups: FailureRecord, with line: LineCaptures, _ flags: inout Flags,
                               _ matchedLines: MatchedLines) {
        let t = line.table
        addUser(groups, line[t.user])
        if groups.fields.pop(slot: t.nofail) { flags.insert(.previousNofail) }
        if groups.fields.pop(slot: t.mlfgained) { flags.insert(.previousNofail) }
        if flags.contains(.gained) { groups.pending = false }
        if !flags.contains(.previousNofail) && !groups.pending && !groups.matches.isEmpty { groups.matches.removeAll() }
        line.update(&groups.fields)
        finish(groups, &flags, matchedLines)
    }

    /// Several users (or a pending failure) make it a failure again; the lines join it.
    private static func finish(_ fail: FailureRecord, _ flags: inout Flags, _ matchedLines: MatchedLines) {
        if fail.pending || (fail.users?.count ?? 0) > 1 {
            let t = fail.fields.table
            fail.pending = false
            fail.fields.remove(slot: t.nofail)
            fail.fields.remove(slot: t.mlfgained)
            flags.subtract([.gained, .nofail])
        }
        if !flags.contains(.nofail) {
            if !fail.nofailMatches.isEmpty {
                fail.matches.prepend(fail.nofailMatches)
                fail.nofailMatches.removeAll()
            }
            if !flags.contains(.gained) { matchedLines.append(to: &fail.matches) }
        } else if !flags.contains(.forget) {
            matchedLines.append(to: &fail.nofailMatches)
        }
    }

    private static func addUser(_ data: FailureRecord, _ user: Capture) {
        guard user.isTruthy else { return }
        if let last = data.lastUser, last.isUTF8(user.bytes) { return }
        let name = String(decoding: user.bytes, as: UTF8.self)
        if data.users == nil { data.users = [name] } else { data.users!.insert(name) }
        data.lastUser = name
    }

    /// fail2ban's `Utils.Cache.set` for a new key: a full cache drops its oldest entries first,
    /// stopping at the first one still valid once there is room.
    private mutating func insert(_ id: UnsafeBufferPointer<UInt8>, hash: UInt64, _ record: FailureRecord, now: Double,
                                 pool: inout RecordPool) {
        if entries.count >= Self.maxCount {
            while orderHead < order.count {
                let oldest = order[orderHead]
                orderHead += 1
                guard entries.sequence(at: oldest.slot) == oldest.sequence else { continue }
                var entry = entries.remove(at: oldest.slot)
                let stillValid = entry.expires > now
                pool.recycle(&entry.record)
                if stillValid && entries.count < Self.maxCount { break }
            }
            if orderHead > 1024 && orderHead * 2 > order.count {
                order.removeFirst(orderHead)
                orderHead = 0
            }
        }
        nextSequence += 1
        let slot = entries.insert(key: id, hash: hash, sequence: nextSequence,
                                  value: Entry(expires: now + Self.maxAge, record: record))
        order.append((slot, nextSequence))
    }
}
