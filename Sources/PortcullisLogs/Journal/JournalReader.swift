#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PortcullisSystem

/// Reads the systemd journal for a jail with `backend = systemd`: entries matching the jail's
/// `journalmatch`, formatted as syslog lines for its filter.
///
/// Open the system journal, a folder (`journalpath`) or given files (`journalfiles`, globs
/// allowed); position with `seek(time:)` (fail2ban starts at now − findtime, or the last time
/// it stored) or `seek(cursor:)`; then `events(pollInterval:)` delivers batches as entries are
/// appended. Waiting is sd-journal's own notification (the descriptor behind
/// `sd_journal_wait`, polled by our thread so `stop()` and seeks never wait on a blocked
/// call), with `pollInterval` as the longest sleep in case a change goes unsignalled.
public final class JournalReader: Sendable {
    /// The match groups in effect: ORed groups of ANDed "FIELD=value" terms.
    public let matches: [[String]]
    private let handle: JournalHandle
    private let loop: JournalLoop

    /// - Parameters:
    ///   - matches: as `parseJournalMatch` returns; [] reads every entry.
    ///   - journalPath: a folder of journal files instead of the system journal.
    ///   - journalFiles: journal files (glob patterns are expanded); takes precedence over
    ///     `journalPath`.
    ///   - journalFlags: sd-journal open flags; by default the system journal only
    ///     (`SD_JOURNAL_SYSTEM`) when opening the system journal, none with a path or files.
    ///   - namespace: a journal namespace (`journalctl --namespace`).
    public init(matches: [[String]], journalPath: String? = nil, journalFiles: [String]? = nil,
                journalFlags: Int32? = nil, namespace: String? = nil) throws(LogSourceError) {
        var files: [String]?
        if let journalFiles {
            var expanded = [String]()
            for pattern in journalFiles {
                for path in Glob.isPattern(pattern) ? Glob.expand(pattern) : [pattern] where !expanded.contains(path) {
                    expanded.append(path)
                }
            }
            guard !expanded.isEmpty else {
                throw .journal(operation: "open", detail: "no journal file matches \(journalFiles.joined(separator: " "))",
                               code: -ENOENT)
            }
            files = expanded
        }
        handle = try JournalHandle(path: journalPath, files: files, flags: journalFlags, namespace: namespace)
        try handle.setMatches(matches)
        self.matches = matches.filter { !$0.isEmpty }
        loop = try JournalLoop(handle: handle)
    }

    deinit { loop.stop() }

    /// Parses a jail's `journalmatch` value: one expression per line, shell-quoted words, "+"
    /// between alternatives. "_SYSTEMD_UNIT=sshd.service + _COMM=sshd" gives
    /// [["_SYSTEMD_UNIT=sshd.service"], ["_COMM=sshd"]].
    public static func parseJournalMatch(_ text: String) -> [[String]] {
        JournalMatchSyntax.parse(text)
    }

    /// Reads on after the entry `cursor` names (a cursor persisted from `JournalEntry.cursor`).
    public func seek(cursor: String) throws(LogSourceError) { try handle.seek(cursor: cursor) }

    /// Reads on from the first entry at or after `time` (seconds since the epoch).
    public func seek(time: Double) throws(LogSourceError) { try handle.seek(time: time) }

    /// Reads from the oldest entry (the position after opening).
    public func seekHead() throws(LogSourceError) { try handle.seekHead() }

    /// Reads only entries appended from now on.
    public func seekTail() throws(LogSourceError) { try handle.seekTail() }

    /// The entries available now, up to `limit`, without waiting (not needed with `events`).
    public func read(limit: Int = 1024) throws(LogSourceError) -> [JournalEntry] {
        try handle.read(limit: limit).get()
    }

    /// Entries as they arrive, in batches of up to 1024. Single consumer; the first call starts
    /// the reading thread with `pollInterval` (later calls return the same queue).
    public func events(pollInterval: Double = 1.0) -> AsyncStream<JournalEvent> {
        loop.start(pollInterval: pollInterval > 0 ? pollInterval : 1.0)
        return loop.queue.stream()
    }

    /// Stops the reading thread; the event stream ends.
    public func stop() { loop.stop() }
}

/// The journal reader's thread: read what is there, then poll sd-journal's descriptor and a
/// wake-up pipe until something changes or the interval passes.
final class JournalLoop: @unchecked Sendable {
    let queue = EventQueue<JournalEvent>(capacity: 16)
    private let handle: JournalHandle
    private let wake: WakePipe
    private let lock = NSLock()
    private var started = false          // guarded by `lock`
    static let batchLimit = 1024

    init(handle: JournalHandle) throws(LogSourceError) {
        self.handle = handle
        guard let wake = WakePipe() else { throw .system(operation: "pipe", path: "(wake-up pipe)", errno: errno) }
        self.wake = wake
    }

    func start(pollInterval: Double) {
        lock.lock()
        defer { lock.unlock() }
        guard !started && !queue.isClosed else { return }
        started = true
        let thread = Thread { [self] in run(pollInterval: pollInterval) }
        thread.name = "portcullis-journal"
        thread.start()
    }

    /// Closes the queue (the thread's stop signal, and the end of the consumer's stream) and
    /// wakes the thread to notice.
    func stop() {
        queue.close()
        wake.signal()
    }

    private func run(pollInterval: Double) {
        defer { wake.close() }
        var lastError: LogSourceError?
        while !queue.isClosed {
            switch handle.read(limit: Self.batchLimit) {
            case .success(let entries):
                lastError = nil
                if !entries.isEmpty {
                    guard queue.push(.entries(entries)) else { return }
                    if entries.count == Self.batchLimit { continue }
                }
            case .failure(let error):
                if error != lastError {
                    lastError = error
                    guard queue.push(.error(error)) else { return }
                }
            }
            let wait = handle.waitParameters()
            let seconds = min(pollInterval, wait.timeout ?? pollInterval)
            var fds = [pollfd(fd: wake.readDescriptor, events: Int16(POLLIN), revents: 0)]
            if let fd = handle.descriptor { fds.append(pollfd(fd: fd, events: wait.events, revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32((seconds * 1000).rounded(.up)))
            if ready > 0 && fds[0].revents != 0 { wake.drain() }
            handle.process()
        }
    }
}
