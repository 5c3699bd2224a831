#if canImport(Glibc)
import Glibc
#endif
import CSystemd
import Foundation
import PortcullisSystem

/// An open `sd_journal`, serialised by a lock: sd-journal objects must not be used from two
/// threads at once, and the reader's thread and the daemon's seeks both use this one.
final class JournalHandle: @unchecked Sendable {
    private let lock = NSLock()
    private let journal: OpaquePointer          // sd_journal *, guarded by `lock`
    /// sd-journal's inotify descriptor (nil when it cannot give one: then we poll).
    let descriptor: Int32?
    let description: String

    init(path: String?, files: [String]?, flags: Int32?, namespace: String?) throws(LogSourceError) {
        var handle: OpaquePointer?
        let code: Int32
        if let files {
            description = files.joined(separator: " ")
            code = withCStrings(files, nilTerminated: true) {
                // `const char **` in its declaration; sd-journal only reads it.
                sd_journal_open_files(&handle, UnsafeMutablePointer(mutating: $0.baseAddress), flags ?? 0)
            }
        } else if let path {
            description = path
            code = sd_journal_open_directory(&handle, path, flags ?? 0)
        } else if let namespace {
            description = "namespace \(namespace)"
            code = sd_journal_open_namespace(&handle, namespace, flags ?? Self.defaultFlags)
        } else {
            description = "the system journal"
            code = sd_journal_open(&handle, flags ?? Self.defaultFlags)
        }
        guard code >= 0, let handle else { throw .journal(operation: "open", detail: description, code: code) }
        journal = handle
        // Set up change notification before the first read, so no append goes unnoticed.
        let fd = sd_journal_get_fd(handle)
        descriptor = fd >= 0 ? fd : nil
    }

    deinit { sd_journal_close(journal) }

    /// fail2ban's default without a path or files: the system journal only (user journals of
    /// many sessions would cost a descriptor each); `F2B_SYSTEMD_DEFAULT_FLAGS` overrides.
    static var defaultFlags: Int32 {
        if let text = getenv("F2B_SYSTEMD_DEFAULT_FLAGS"), let value = Int32(String(cString: text)) { return value }
        return Int32(SD_JOURNAL_SYSTEM)
    }

    private func locked<R>(_ body: (OpaquePointer) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(journal)
    }

    /// Adds the match groups (ORed; terms within a group ANDed), replacing any earlier ones.
    func setMatches(_ groups: [[String]]) throws(LogSourceError) {
        for term in groups.joined() where !JournalMatchSyntax.isValid(term) {
            throw .invalidJournalMatch(term: term)
        }
        let failure: LogSourceError? = locked { j in
            sd_journal_flush_matches(j)
            for group in groups where !group.isEmpty {
                for term in group {
                    let code = term.withCString { sd_journal_add_match(j, $0, strlen($0)) }
                    if code < 0 { return .journal(operation: "add match", detail: term, code: code) }
                }
                let code = sd_journal_add_disjunction(j)
                if code < 0 { return .journal(operation: "add match", detail: group.joined(separator: " "), code: code) }
            }
            return nil
        }
        if let failure { throw failure }
    }

    func seekHead() throws(LogSourceError) {
        try check("seek to head", locked { sd_journal_seek_head($0) })
    }

    /// After the last entry: only entries appended from now on are read.
    func seekTail() throws(LogSourceError) {
        try check("seek to tail", locked { j in
            let code = sd_journal_seek_tail(j)
            // Step onto the last entry, so the next read is what comes after it.
            return code < 0 ? code : min(0, sd_journal_previous(j))
        })
    }

    /// The next read returns the first entry at or after `time`.
    func seek(time: Double) throws(LogSourceError) {
        let usec = UInt64(max(0, time * 1_000_000).rounded())
        try check("seek to time", locked { j in
            var code = sd_journal_seek_realtime_usec(j, usec)
            guard code >= 0 else { return code }
            // Step onto the entry itself and back, so the reader stands on a real entry: after a
            // seek past the end it would otherwise stand nowhere, and could skip later appends.
            code = sd_journal_next(j)
            if code > 0 { return Self.stepBack(j) }
            if code < 0 { return code }
            code = sd_journal_seek_tail(j)
            return code < 0 ? code : min(0, sd_journal_previous(j))
        })
    }

    /// The next read returns the entry after the one `cursor` names (or, if that entry is gone,
    /// the first entry after where it was).
    func seek(cursor: String) throws(LogSourceError) {
        try check("seek to cursor", locked { j in
            var code = sd_journal_seek_cursor(j, cursor)
            guard code >= 0 else { return code }
            code = sd_journal_next(j)
            guard code > 0 else { return min(0, code) }
            if sd_journal_test_cursor(j, cursor) > 0 { return 0 }
            return Self.stepBack(j)   // not that entry (it is gone): read this one next
        })
    }

    /// Up to `limit` next entries; an error only if nothing could be read before it.
    func read(limit: Int) -> Result<[JournalEntry], LogSourceError> {
        locked { j in
            var entries = [JournalEntry]()
            while entries.count < limit {
                let code = sd_journal_next(j)
                if code < 0 {
                    if entries.isEmpty { return .failure(.journal(operation: "read next entry", detail: description, code: code)) }
                    break
                }
                if code == 0 { break }
                if let entry = Self.entry(j) { entries.append(entry) }
            }
            return .success(entries)
        }
    }

    /// Lets sd-journal digest its inotify events (new files, appends, rotation).
    func process() {
        _ = locked { sd_journal_process($0) }
    }

    /// The poll events to wait for on `descriptor`, and sd-journal's own timeout in seconds.
    func waitParameters() -> (events: Int16, timeout: Double?) {
        locked { j in
            let events = sd_journal_get_events(j)
            var usec: UInt64 = 0
            var timeout: Double?
            if sd_journal_get_timeout(j, &usec) >= 0 && usec != UInt64.max {
                // `usec` is an instant on CLOCK_MONOTONIC.
                timeout = max(0, Double(usec) / 1e6 - IO.monotonicNow())
            }
            return (Int16(truncatingIfNeeded: events > 0 ? events : Int32(POLLIN)), timeout)
        }
    }

    /// Moves back one entry so the next `sd_journal_next` returns the current one; from the first
    /// entry (nothing before it) that is the head.
    private static func stepBack(_ j: OpaquePointer) -> Int32 {
        let code = sd_journal_previous(j)
        if code == 0 { return min(0, sd_journal_seek_head(j)) }
        return min(0, code)
    }

    private static func entry(_ j: OpaquePointer) -> JournalEntry? {
        var fields = JournalFields()
        sd_journal_restart_data(j)
        var data: UnsafeRawPointer?
        var length = 0
        while sd_journal_enumerate_data(j, &data, &length) > 0 {
            if let data { fields.take(UnsafeRawBufferPointer(start: data, count: length)) }
        }
        var realtime: UInt64 = 0
        if let source = fields.sourceRealtime {
            realtime = source
        } else if sd_journal_get_realtime_usec(j, &realtime) < 0 {
            realtime = 0
        }
        var cursorPointer: UnsafeMutablePointer<CChar>?
        guard sd_journal_get_cursor(j, &cursorPointer) >= 0, let cursorPointer else { return nil }
        let cursor = String(cString: cursorPointer)
        free(cursorPointer)
        let line = JournalLineFormat.line(fields) {
            var usec: UInt64 = 0
            var boot = sd_id128_t()
            return sd_journal_get_monotonic_usec(j, &usec, &boot) >= 0 ? usec : nil
        }
        return JournalEntry(time: Double(realtime) / 1e6, line: line, cursor: cursor)
    }

    private func check(_ operation: String, _ code: Int32) throws(LogSourceError) {
        if code < 0 { throw .journal(operation: operation, detail: description, code: code) }
    }
}
