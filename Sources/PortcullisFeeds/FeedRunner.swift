import Foundation
import PortcullisConfig

/// Keeps one feed's addresses applied: restores the cached list at start, fetches every
/// `interval`, and hands the firewall only the difference, in one batch.
///
/// The rules that make a feed safe to rely on:
/// - a failed fetch, an empty answer or an answer without a single address keeps the previous
///   list (a server that is down must never unblock everything) and logs a warning saying which;
/// - when `apply` throws, `current` stays the previous list and the validators are not updated,
///   so the next refresh fetches the body again and retries the same difference;
/// - `bantime > 0` bounds how long a kept list survives: once no fetch succeeded for longer than
///   that, the whole list is removed (checked on each failing refresh and on the cached list at start);
/// - refreshes never overlap: a manual `refresh()` waits for the timer's and runs after it.
public actor FeedRunner {
    public typealias Apply = @Sendable (_ add: [String], _ remove: [String]) async throws -> Void

    /// fail2ban-style logger name of every message.
    public static let logger = "fail2ban.feed"

    public let definition: FeedDefinition
    /// The addresses and networks applied now.
    public private(set) var current: Set<String> = []
    public private(set) var statistics = FeedStatistics()

    let cache: FeedCache
    let fetcher: FeedFetcher
    let parser: FeedParser
    let log: LogSink?
    let apply: Apply
    let now: @Sendable () -> Date
    /// The validators of `current` (nil when `current` did not come from the source we fetch).
    var validators: FeedValidators?
    var loop: Task<Void, Never>?
    var inFlight: Task<FeedRefreshOutcome, Never>?

    public init(definition: FeedDefinition, stateDirectory: String, log: LogSink?, apply: @escaping Apply) {
        self.init(definition: definition, stateDirectory: stateDirectory, log: log, now: { Date() }, apply: apply)
    }

    /// `now`: the wall clock, replaceable to test `bantime` without waiting.
    public init(definition: FeedDefinition, stateDirectory: String, log: LogSink?,
                now: @escaping @Sendable () -> Date, apply: @escaping Apply) {
        self.definition = definition
        self.cache = FeedCache(directory: stateDirectory, name: definition.name)
        self.fetcher = FeedFetcher(source: definition.source, timeout: definition.timeout)
        self.parser = FeedParser(ignoring: definition.ignoreIP)
        self.log = log
        self.now = now
        self.apply = apply
    }

    /// Applies the cached list (all of it, as additions), then fetches now and every `interval`
    /// in a task of its own (so a slow server does not hold up the caller). Calling it again does nothing.
    public func start() async {
        guard loop == nil else { return }
        _ = await serialized { await $0.restoreCache() }
        loop = Task { await self.runLoop() }
    }

    /// Stops the periodic fetches (a refresh already running finishes). The applied list stays.
    public func stop() {
        loop?.cancel()
        loop = nil
    }

    /// One fetch and apply now.
    @discardableResult
    public func refresh() async -> FeedRefreshOutcome {
        await serialized { await $0.performRefresh() }
    }

    private func runLoop() async {
        while !Task.isCancelled {
            await refresh()
            do { try await Task.sleep(for: .seconds(definition.interval)) } catch { return }
        }
    }

    private func serialized(_ work: @escaping @Sendable (isolated FeedRunner) async -> FeedRefreshOutcome) async -> FeedRefreshOutcome {
        let previous = inFlight
        let task = Task {
            _ = await previous?.value
            return await work(self)
        }
        inFlight = task
        return await task.value
    }

    // MARK: - The steps

    private func restoreCache() async -> FeedRefreshOutcome {
        guard let (addresses, metadata) = cache.load(parser: parser) else { return .applied(added: 0, removed: 0) }
        let age = now().timeIntervalSince1970 - metadata.lastSuccess
        if definition.banTime > 0, age > definition.banTime {
            report(.warning, "cached list of \(addresses.count) addresses is \(age.secondsText) s old, more than bantime "
                   + "(\(definition.banTime.secondsText) s); not applied")
            cache.remove()
            return .expired(removed: 0)
        }
        let outcome = await change(to: addresses, validators: metadata.source == definition.source.description ? metadata.validators : nil)
        if case .applied = outcome {
            statistics.lastSuccess = Date(timeIntervalSince1970: metadata.lastSuccess)
            report(.notice, "restored \(addresses.count) addresses from the cache")
        }
        return outcome
    }

    private func performRefresh() async -> FeedRefreshOutcome {
        statistics.fetches += 1
        switch await fetcher.fetch(previous: validators) {
        case .notModified:
            statistics.notModified += 1
            succeeded(list: nil)
            report(.debug, "not modified (\(current.count) addresses)")
            return .notModified
        case .failed(let error):
            return await failed("fetch failed: \(error)")
        case .updated(let body, let newValidators):
            if body.isEmpty { return await failed("empty response from \(definition.source)") }
            let parsed = parser.parse(body)
            statistics.invalidLines = parsed.invalidLines
            statistics.ignoredLines = parsed.ignoredLines
            if parsed.invalidLines > 0 {
                report(.warning, "\(parsed.invalidLines) invalid line(s) skipped, e.g. "
                       + parsed.invalidSamples.map { "'\($0)'" }.joined(separator: ", "))
            }
            if parsed.ignoredLines > 0 { report(.info, "\(parsed.ignoredLines) listed address(es) left out by ignoreip") }
            if parsed.addresses.isEmpty {
                return await failed("response from \(definition.source) has no addresses (\(parsed.invalidLines) invalid lines)")
            }
            let outcome = await change(to: parsed.addresses, validators: newValidators)
            if case .applied(let added, let removed) = outcome {
                succeeded(list: current)
                report(.notice, "\(current.count) addresses from \(definition.source) (+\(added) -\(removed)) applied in "
                       + "\((statistics.lastApplyDuration ?? 0).secondsText) s")
            }
            return outcome
        }
    }

    /// Hands `apply` the difference to `addresses`; on success they become `current`.
    private func change(to addresses: Set<String>, validators newValidators: FeedValidators?) async -> FeedRefreshOutcome {
        let started = ContinuousClock.now
        let diff = FeedDiff(old: current, new: addresses)
        if !diff.isEmpty {
            do { try await apply(diff.add, diff.remove) } catch {
                statistics.failures += 1
                statistics.lastError = "apply failed: \(error)"
                report(.error, "applying +\(diff.add.count) -\(diff.remove.count) failed: \(error); "
                       + "keeping the previous \(current.count) addresses, the next refresh retries")
                return .applyFailed(reason: "\(error)")
            }
        }
        let elapsed = ContinuousClock.now - started
        statistics.lastApplyDuration = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        current = addresses
        statistics.size = addresses.count
        validators = newValidators
        return .applied(added: diff.add.count, removed: diff.remove.count)
    }

    /// A fetch succeeded: remember when, and persist the list (when it changed) with the validators.
    private func succeeded(list: Set<String>?) {
        let time = now()
        statistics.lastSuccess = time
        statistics.lastError = nil
        let metadata = FeedCache.Metadata(source: definition.source.description, validators: validators ?? FeedValidators(),
                                          lastSuccess: time.timeIntervalSince1970)
        do { try cache.save(addresses: list, metadata: metadata) } catch {
            report(.error, "the list is applied but not cached (\(error)); a restart will wait for the first fetch")
        }
    }

    /// No list this time: keep the previous one, unless `bantime` says it is too old now.
    private func failed(_ reason: String) async -> FeedRefreshOutcome {
        statistics.failures += 1
        statistics.lastError = reason
        report(.warning, "\(reason); keeping the previous \(current.count) addresses")
        guard definition.banTime > 0, !current.isEmpty, let last = statistics.lastSuccess,
              now().timeIntervalSince(last) > definition.banTime else { return .keptPrevious(reason: reason) }
        let count = current.count
        report(.warning, "no successful fetch for more than bantime (\(definition.banTime.secondsText) s); removing all \(count) addresses")
        guard case .applied = await change(to: [], validators: nil) else { return .applyFailed(reason: statistics.lastError ?? reason) }
        cache.remove()
        return .expired(removed: count)
    }

    private func report(_ level: LogLevel, _ message: String) {
        log?(level, Self.logger, "[\(definition.name)] \(message)")
    }
}
