import Foundation
import PortcullisConfig

/// Bans and unbans that failed, tried again with growing pauses (1 s, 2 s, 4 s … 60 s) until they
/// succeed — fail2ban only logs a failed ban and forgets it, leaving an address the jail counts as
/// banned unblocked by the firewall.
///
/// One pending operation per action and address: the latest intent wins, so an unban after a
/// failed ban replaces it (and a success of either clears it). Each failure is reported through the
/// log sink under `fail2ban.actions` with the command line, exit status and stderr; the action
/// itself logs the `fail2ban.utils` `-- exec:` / `-- stderr:` / `-- returned` block as fail2ban does.
///
/// Drive it with `retryDue(now:)` from a loop of your own, or `start()` its own task.
public actor ActionRetryQueue {
    /// What to do again.
    public enum Operation: String, Sendable {
        case ban, reban, unban, prolong
    }

    /// A failed operation waiting for its next try.
    public struct Pending: Sendable {
        public var jail: String
        public var action: String
        public var operation: Operation
        public var info: BanInfo
        /// Consecutive failures so far.
        public var failures: Int
        /// When the next try is due (same clock as `now`).
        public var due: Double
        public var lastError: ActionError
    }

    /// What one try led to.
    public enum Outcome: Sendable {
        case succeeded(Pending)
        case failedAgain(Pending)
        case gaveUp(Pending)
    }

    struct Payload: Sendable {
        var action: CommandAction
        var operation: Operation
        var info: BanInfo
        var lastError: ActionError
    }

    private var schedule: RetrySchedule<Payload>
    /// Give up after this many consecutive failures; nil retries for ever.
    public let maxAttempts: Int?
    private let log: LogSink?
    private let clock: @Sendable () -> Double
    private var loop: Task<Void, Never>?

    public init(backoff: RetryBackoff = RetryBackoff(), maxAttempts: Int? = nil, log: LogSink?,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        schedule = RetrySchedule(backoff: backoff)
        self.maxAttempts = maxAttempts
        self.log = log
        self.clock = clock
    }

    /// Runs the operation now; a failure is remembered for retry (replacing whatever was pending
    /// for this action and address), a success forgets what was pending.
    @discardableResult
    public func perform(_ operation: Operation, _ info: BanInfo, on action: CommandAction) async -> Result<Void, ActionError> {
        let key = Self.key(action, info)
        schedule.clear(key)
        do {
            try await Self.run(operation, info, on: action)
            return .success(())
        } catch {
            record(error, operation: operation, info: info, action: action)
            return .failure(error)
        }
    }

    /// Remembers a failure the caller met itself.
    public func record(_ error: ActionError, operation: Operation, info: BanInfo, action: CommandAction) {
        let entry = schedule.failed(Self.key(action, info), operation: operation.rawValue,
                                    payload: Payload(action: action, operation: operation, info: info, lastError: error), now: clock())
        report(entry, first: true)
    }

    /// Forgets what is pending for this action and address (the ban ended some other way).
    public func cancel(_ info: BanInfo, on action: CommandAction) {
        schedule.clear(Self.key(action, info))
    }

    /// Forgets everything pending for the action (it was stopped or removed).
    public func cancelAll(on action: CommandAction) {
        schedule.clear(action: Self.actionKey(action))
    }

    public var pending: [Pending] { schedule.pending.map(Self.pending) }

    /// When the next retry is due.
    public var nextDue: Double? { schedule.nextDue }

    /// Tries every operation due at `now` (the clock's time when nil).
    @discardableResult
    public func retryDue(now: Double? = nil) async -> [Outcome] {
        let now = now ?? clock()
        var outcomes: [Outcome] = []
        for entry in schedule.due(now: now) {
            let payload = entry.payload
            // Something newer may have replaced it while an earlier retry ran.
            guard let current = schedule.entries[entry.key], current.failures == entry.failures,
                  current.operation == entry.operation else { continue }
            do {
                try await Self.run(payload.operation, payload.info, on: payload.action)
                guard let done = schedule.entries[entry.key], done.failures == entry.failures else { continue }
                schedule.clear(entry.key)
                let result = Self.pending(entry)
                log?(.notice, "fail2ban.actions", "[\(result.jail)] \(result.operation.rawValue) \(result.info.ip) with action '\(result.action)' succeeded on retry \(entry.failures)")
                outcomes.append(.succeeded(result))
            } catch {
                guard let latest = schedule.entries[entry.key], latest.failures == entry.failures else { continue }
                var payload = payload
                payload.lastError = error
                let next = schedule.failed(entry.key, operation: entry.operation, payload: payload, now: now)
                if let maxAttempts, next.failures >= maxAttempts {
                    schedule.clear(entry.key)
                    let result = Self.pending(next)
                    log?(.error, "fail2ban.actions", "[\(result.jail)] giving up \(result.operation.rawValue) of \(result.info.ip) with action '\(result.action)' after \(next.failures) attempts: \(error)")
                    outcomes.append(.gaveUp(result))
                } else {
                    report(next, first: false)
                    outcomes.append(.failedAgain(Self.pending(next)))
                }
            }
        }
        return outcomes
    }

    /// Retries in a task of its own, waking at least every `interval` seconds, until `stop()`.
    public func start(interval: Double = 1) {
        guard loop == nil else { return }
        loop = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                let now = self.clock()
                let wait = await self.nextDue.map { max(0, min($0 - now, interval)) } ?? interval
                try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
                if Task.isCancelled { return }
                await self.retryDue()
            }
        }
    }

    public func stop() {
        loop?.cancel()
        loop = nil
    }

    // MARK: - Helpers

    private static func run(_ operation: Operation, _ info: BanInfo, on action: CommandAction) async throws(ActionError) {
        switch operation {
        case .ban: try await action.ban(info)
        case .reban: try await action.reban(info)
        case .unban: try await action.unban(info)
        case .prolong: try await action.prolong(info)
        }
    }

    private static func actionKey(_ action: CommandAction) -> String {
        action.jail + "\u{1F}" + action.name
    }

    private static func key(_ action: CommandAction, _ info: BanInfo) -> RetrySchedule<Payload>.Key {
        .init(action: actionKey(action), subject: info.id ?? info.ip)
    }

    private static func pending(_ entry: RetrySchedule<Payload>.Entry) -> Pending {
        Pending(jail: entry.payload.action.jail, action: entry.payload.action.name, operation: entry.payload.operation,
                info: entry.payload.info, failures: entry.failures, due: entry.due, lastError: entry.payload.lastError)
    }

    /// fail2ban's `Failed to execute ban jail '…' action '…' info '…': …`, with when it is tried again.
    private func report(_ entry: RetrySchedule<Payload>.Entry, first: Bool) {
        guard let log else { return }
        let p = Self.pending(entry)
        let info = "ActionInfo({'ip': \(PythonRepr.string(p.info.ip)), 'family': \(PythonRepr.string(p.info.family)), 'fid': \(PythonRepr.string(p.info.id ?? p.info.ip))})"
        let wait = ActionTags.pythonNumber(schedule.backoff.delay(afterFailures: entry.failures))
        log(.error, "fail2ban.actions",
            "Failed to execute \(p.operation.rawValue) jail '\(p.jail)' action '\(p.action)' info '\(info)': \(p.lastError)"
            + " -- \(first ? "will retry" : "retry \(p.failures - 1) failed, retrying") in \(wait) s")
    }
}
