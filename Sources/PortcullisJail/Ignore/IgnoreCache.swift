import Foundation
import PortcullisConfig

/// fail2ban's `ignorecache`: remembers for a while whether an id was ignored, so `ignorecommand`
/// (a process per failure) and DNS lookups are not repeated. Keys are the `key` template with the
/// ticket's tags replaced (the daemon does that); entries live `max-time` seconds, and when
/// `max-count` is reached the oldest entries make room (first in, first out).
public struct IgnoreCache: Sendable {
    /// `ignorecache = key="<ip>", max-count=100, max-time=5m`.
    public struct Settings: Sendable, Equatable {
        /// The key template (`<ip>`, `<F-USER>@<ip>`, …).
        public var key: String
        public var maxCount: Int
        public var maxTime: Double

        public init(key: String, maxCount: Int = 100, maxTime: Double = 300) {
            self.key = key
            self.maxCount = maxCount
            self.maxTime = maxTime
        }

        /// Parses the option's value; nil for an empty value (no cache).
        public init?(option text: String) throws(JailSettingsError) {
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
            func fail(_ reason: String) -> JailSettingsError {
                JailSettingsError(option: "ignorecache", value: text, reason: reason)
            }
            let options: OrderedOptions
            do { options = try OptionSpec.parse("cache[" + text + "]").options } catch {
                throw fail("\(error) (expected e.g. key=\"<ip>\", max-count=100, max-time=5m)")
            }
            guard let key = options["key"], !key.isEmpty else { throw fail("a 'key' is required (e.g. key=\"<ip>\")") }
            var maxCount = 100, maxTime = 300.0
            if let count = options["max-count"] {
                guard let n = Int(count), n > 0 else { throw fail("max-count '\(count)' must be a positive integer") }
                maxCount = n
            }
            if let time = options["max-time"] {
                do { maxTime = try TimeAbbreviation.seconds(time) } catch { throw fail("max-time '\(time)' is not a duration") }
            }
            self.init(key: key, maxCount: maxCount, maxTime: maxTime)
        }

        /// A jail's `ignorecache`; nil when not set. Errors carry the jail and the option's `file:line`.
        public init?(definition: JailDefinition) throws(JailSettingsError) {
            guard let text = definition.options["ignorecache"] else { return nil }
            do {
                try self.init(option: text)
            } catch {
                throw error.inContext(jail: definition.name, location: definition.rawOptions["ignorecache"]?.location)
            }
        }
    }

    public let settings: Settings
    private var values: [String: (ignored: Bool, expiry: Double, sequence: Int)] = [:]
    /// Insertion order; stale when the sequence no longer matches `values`.
    private var order: [(key: String, sequence: Int)] = []
    private var head = 0
    private var nextSequence = 0

    public init(settings: Settings) {
        self.settings = settings
    }

    /// Entries held (expired ones included until looked up or pushed out).
    public var count: Int { values.count }

    /// The cached answer for `key`, nil when unknown or expired (an expired entry is dropped).
    public mutating func value(for key: String, now: Double) -> Bool? {
        guard let entry = values[key] else { return nil }
        if entry.expiry > now { return entry.ignored }
        values[key] = nil
        return nil
    }

    /// Caches `ignored` for `key` until `now + maxTime`. When full, entries are dropped from the
    /// oldest on, up to and including the first one not yet expired.
    public mutating func set(_ key: String, ignored: Bool, now: Double) {
        if values.count >= settings.maxCount {
            while let oldest = popOldest() {
                if oldest.expiry > now && values.count < settings.maxCount { break }
            }
        }
        let expiry = now + settings.maxTime
        if let existing = values[key] {
            values[key] = (ignored, expiry, existing.sequence)  // keeps its place, as a dict update does
        } else {
            values[key] = (ignored, expiry, nextSequence)
            order.append((key, nextSequence))
            nextSequence += 1
            // Entries dropped by lookups leave stale places behind; sweep them now and then.
            if order.count - head > 2 * values.count + 64 {
                order = order[head...].filter { values[$0.key]?.sequence == $0.sequence }
                head = 0
            }
        }
    }

    public mutating func removeAll() {
        values.removeAll()
        order.removeAll()
        head = 0
    }

    private mutating func popOldest() -> (ignored: Bool, expiry: Double)? {
        while head < order.count {
            let candidate = order[head]
            head += 1
            if let entry = values[candidate.key], entry.sequence == candidate.sequence {
                values[candidate.key] = nil
                compact()
                return (entry.ignored, entry.expiry)
            }
        }
        compact()
        return nil
    }

    private mutating func compact() {
        if head > 64 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
