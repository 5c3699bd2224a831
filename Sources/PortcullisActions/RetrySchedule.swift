import Foundation

/// Doubling delays between retries: `initial`, 2×, 4×, … capped at `maximum` seconds.
public struct RetryBackoff: Sendable, Equatable {
    public var initial: Double
    public var maximum: Double

    public init(initial: Double = 1, maximum: Double = 60) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait after the `failures`-th consecutive failure (1-based).
    public func delay(afterFailures failures: Int) -> Double {
        let exponent = Double(max(0, min(failures - 1, 62)))
        return min(initial * Foundation.pow(2, exponent), maximum)
    }
}

/// Which failed operations wait for another try, and when — pure bookkeeping, times passed in.
/// One entry per action and address: the latest intent wins, so an unban after a failed ban
/// replaces the pending ban, and any success clears the entry.
struct RetrySchedule<Payload: Sendable>: Sendable {
    struct Key: Hashable, Sendable {
        var action: String
        var subject: String
    }

    struct Entry: Sendable {
        var key: Key
        var operation: String
        var payload: Payload
        var failures: Int
        var due: Double
    }

    let backoff: RetryBackoff
    private(set) var entries: [Key: Entry] = [:]
    private var order: [Key] = []

    init(backoff: RetryBackoff) {
        self.backoff = backoff
    }

    /// An operation failed at `now`: a new entry, or one more failure of the same pending
    /// operation; a different operation for the key starts over.
    @discardableResult
    mutating func failed(_ key: Key, operation: String, payload: Payload, now: Double) -> Entry {
        var failures = 1
        if let existing = entries[key], existing.operation == operation { failures = existing.failures + 1 }
        let entry = Entry(key: key, operation: operation, payload: payload, failures: failures,
                          due: now + backoff.delay(afterFailures: failures))
        if entries[key] == nil { order.append(key) }
        entries[key] = entry
        return entry
    }

    /// The key's latest operation succeeded (or was superseded): nothing to retry.
    @discardableResult
    mutating func clear(_ key: Key) -> Entry? {
        guard let entry = entries.removeValue(forKey: key) else { return nil }
        order.removeAll { $0 == key }
        return entry
    }

    mutating func clear(action: String) {
        for key in order where key.action == action { clear(key) }
    }

    /// Entries whose time has come, oldest first.
    func due(now: Double) -> [Entry] {
        order.compactMap { entries[$0] }.filter { $0.due <= now }
    }

    /// When the next entry falls due.
    var nextDue: Double? { entries.values.map(\.due).min() }

    var pending: [Entry] { order.compactMap { entries[$0] } }
}
