import Testing
import Foundation
import PortcullisConfig
@testable import PortcullisFeeds
import PortcullisTestSupport

/// What `apply` received, in order.
final class AppliedBatches: @unchecked Sendable {
    private let lock = NSLock()
    private var batches: [(add: [String], remove: [String])] = []
    private var failNext = false
    private var messages: [String] = []

    var all: [(add: [String], remove: [String])] { lock.withLock { batches } }
    var removals: [String] { all.flatMap(\.remove) }
    var logged: [String] { lock.withLock { messages } }
    func failOnce() { lock.withLock { failNext = true } }

    struct Refused: Error, CustomStringConvertible { var description: String { "firewall refused the batch" } }

    var apply: FeedRunner.Apply {
        { add, remove in
            try self.lock.withLock {
                if self.failNext { self.failNext = false; throw Refused() }
                self.batches.append((add, remove))
            }
        }
    }

    var log: LogSink { { level, logger, message in self.lock.withLock { self.messages.append("\(level.name) \(logger) \(message)") } } }
}

/// The fetch → parse → diff → apply → cache cycle against a real HTTP server on loopback.
@Suite(.serialized) struct FeedRunnerTests {
    func definition(_ source: FeedSource, banTime: Double = -1, timeout: Double = 5) -> FeedDefinition {
        FeedDefinition(name: "feed-krawl", source: source, interval: 3600, banTime: banTime, timeout: timeout)
    }

    /// Runs `test` with a started server serving `body` at `path`, and a runner fetching `path`.
    func withFeed(_ path: String, _ body: String, timeout: Double = 5,
                  _ test: (FeedHTTPServer, FeedRunner, AppliedBatches) async throws -> Void) async throws {
        let server = try FeedHTTPServer()
        try server.start()
        defer { server.stop() }
        let state = try TemporaryDirectory()
        defer { state.remove() }
        try server.serve(String(path.prefix { $0 != "?" }), body)
        let batches = AppliedBatches()
        let runner = FeedRunner(definition: definition(.url(server.url(path: path)), timeout: timeout),
                                stateDirectory: state.path, log: batches.log, apply: batches.apply)
        try await test(server, runner, batches)
    }

    @Test func fetchAppliesDifferencesAndKeepsTheListOnFailures() async throws {
        try await withFeed("api/get_banlist?fwtype=raw", "# krawl\n192.0.2.1\n192.0.2.2\n198.51.100.0/24\n") { server, runner, batches in

            #expect(await runner.refresh() == .applied(added: 3, removed: 0))
            #expect(batches.all.last?.add == ["192.0.2.1", "192.0.2.2", "198.51.100.0/24"])

            // Changed: exactly the difference, in one batch.
            try server.serve("api/get_banlist", "192.0.2.2\n198.51.100.0/24\n203.0.113.7\n")
            #expect(await runner.refresh() == .applied(added: 1, removed: 1))
            #expect(batches.all.count == 2)
            #expect(batches.all.last?.add == ["203.0.113.7"] && batches.all.last?.remove == ["192.0.2.1"])

            // Unchanged: the client sends the ETag, the server answers 304, nothing is applied.
            #expect(await runner.refresh() == .notModified)
            #expect(batches.all.count == 2)
            #expect(server.requests().last?.ifNoneMatch != nil)
            #expect(server.requests().last?.path == "/api/get_banlist?fwtype=raw")

            // 500, empty body, timeout: the previous list stays, nothing is removed.
            try server.setMode(.error500)
            guard case .keptPrevious(let reason500) = await runner.refresh() else { Issue.record("500 not kept"); return }
            #expect(reason500.contains("HTTP 500"))
            try server.setMode(.empty)
            guard case .keptPrevious(let reasonEmpty) = await runner.refresh() else { Issue.record("empty not kept"); return }
            #expect(reasonEmpty.contains("empty response"))
            try server.setMode(.serve)
            try server.serve("api/get_banlist", "<html>maintenance</html>\n")
            guard case .keptPrevious(let reasonNone) = await runner.refresh() else { Issue.record("no addresses not kept"); return }
            #expect(reasonNone.contains("no addresses"))
            #expect(batches.logged.contains { $0.hasPrefix("WARNING fail2ban.feed [feed-krawl] 1 invalid line(s) skipped, e.g. '<html>maintenance</html>'") })
            #expect(batches.all.count == 2)
            #expect(await runner.current == ["192.0.2.2", "198.51.100.0/24", "203.0.113.7"])
            let stats = await runner.statistics
            #expect(stats.fetches == 6 && stats.failures == 3 && stats.notModified == 1 && stats.size == 3)
            #expect(stats.lastError?.contains("no addresses") == true)
            #expect(batches.logged.contains { $0.contains("HTTP 500") && $0.contains("keeping the previous 3 addresses") })
        }
    }

    @Test func timeoutKeepsTheList() async throws {
        try await withFeed("list", "192.0.2.1\n", timeout: 1) { server, runner, batches in
            #expect(await runner.refresh() == .applied(added: 1, removed: 0))
            try server.setMode(.hang)
            let started = ContinuousClock.now
            let outcome = await runner.refresh()
            #expect(ContinuousClock.now - started < .seconds(10))
            guard case .keptPrevious(let reason) = outcome else { Issue.record("timeout gave \(outcome)"); return }
            #expect(reason.contains("timeout") || reason.contains("timed out"), "\(reason)")
            #expect(batches.removals.isEmpty)
            #expect(await runner.current == ["192.0.2.1"])
        }
    }

    @Test func connectionRefusedIsTypedAndNamesTheURL() async throws {
        let server = try FeedHTTPServer()
        try server.start()
        let url = server.url(path: "list")
        server.stop()
        let result = await FeedFetcher(source: .url(url), timeout: 5).fetch(previous: nil)
        guard case .failed(let error) = result else { Issue.record("got \(result)"); return }
        #expect(error.source == url)
        #expect(error.description.hasPrefix(url))
        #expect(error.reason == .connection("connection refused"), "\(error)")
    }

    @Test func applyFailureKeepsCurrentAndRetriesTheSameDifference() async throws {
        try await withFeed("list", "192.0.2.1\n") { server, runner, batches in
            await runner.refresh()
            try server.serve("list", "192.0.2.9\n")
            batches.failOnce()
            guard case .applyFailed = await runner.refresh() else { Issue.record("apply failure not reported"); return }
            #expect(await runner.current == ["192.0.2.1"])
            // The validators were not advanced: the server sends the body again, the same difference follows.
            #expect(await runner.refresh() == .applied(added: 1, removed: 1))
            #expect(batches.all.last?.add == ["192.0.2.9"] && batches.all.last?.remove == ["192.0.2.1"])
        }
    }

    @Test func restartAppliesTheCachedListWithTheServerDown() async throws {
        let server = try FeedHTTPServer()
        try server.start()
        let state = try TemporaryDirectory()
        defer { state.remove() }
        try server.serve("list", "192.0.2.1\n2001:db8::/32\n")
        let feed = definition(.url(server.url(path: "list")))
        let first = AppliedBatches()
        await FeedRunner(definition: feed, stateDirectory: state.path, log: nil, apply: first.apply).refresh()
        #expect(FileManager.default.fileExists(atPath: state.path + "/feed-krawl.list"))
        server.stop()

        let second = AppliedBatches()
        let restarted = FeedRunner(definition: feed, stateDirectory: state.path, log: second.log, apply: second.apply)
        await restarted.start()
        // Applied by start() itself, before any fetch could answer.
        #expect(second.all.first?.add == ["192.0.2.1", "2001:db8::/32"])
        #expect(await restarted.current == ["192.0.2.1", "2001:db8::/32"])
        try await eventually("the first fetch failed", timeout: 10) { await restarted.statistics.failures == 1 }
        await restarted.stop()
        #expect(second.removals.isEmpty)
        #expect(await restarted.current.count == 2)
    }

    @Test func banTimeDropsAListKeptTooLong() async throws {
        let state = try TemporaryDirectory()
        defer { state.remove() }
        let list = try state.write("source/list.txt", "192.0.2.1\n192.0.2.2\n")
        let clock = TestClock()
        let batches = AppliedBatches()
        let feed = definition(.path(list.path), banTime: 3600)
        let runner = FeedRunner(definition: feed, stateDirectory: state.path + "/state", log: batches.log,
                                now: clock.now, apply: batches.apply)
        #expect(await runner.refresh() == .applied(added: 2, removed: 0))
        #expect(await runner.refresh() == .notModified)   // same size and mtime
        try FileManager.default.removeItem(at: list)
        clock.advance(1800)
        guard case .keptPrevious = await runner.refresh() else { Issue.record("not kept within bantime"); return }
        clock.advance(1801)
        #expect(await runner.refresh() == .expired(removed: 2))
        #expect(batches.all.last?.remove == ["192.0.2.1", "192.0.2.2"])
        #expect(await runner.current.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: state.path + "/state/feed-krawl.list"))
    }

    func list(_ range: Range<Int>) -> String {
        range.map { "10.\($0 >> 16 & 0xff).\($0 >> 8 & 0xff).\($0 & 0xff)\n" }.joined()
    }

    @Test func aHundredThousandAddressesApplyInUnderTwoSeconds() async throws {
        try await withFeed("big", list(0..<100_000)) { server, runner, batches in
            var started = ContinuousClock.now
            #expect(await runner.refresh() == .applied(added: 100_000, removed: 0))
            let firstTotal = ContinuousClock.now - started
            let firstApply = await runner.statistics.lastApplyDuration ?? -1
            try server.serve("big", list(10_000..<110_000))
            started = ContinuousClock.now
            #expect(await runner.refresh() == .applied(added: 10_000, removed: 10_000))
            let secondTotal = ContinuousClock.now - started
            let secondApply = await runner.statistics.lastApplyDuration ?? -1
            print("FeedRunner 100k: first refresh \(firstTotal) (diff+apply \(firstApply) s); changed 10k: \(secondTotal) (diff+apply \(secondApply) s)")
            // The requirement (< 2 s) is on computing and handing over the difference; the whole
            // refresh (HTTP, parse, cache write) gets more room in a debug build on a shared machine.
            #expect(firstApply < 2 && secondApply < 2)
            #expect(firstTotal < .seconds(5) && secondTotal < .seconds(5))
        }
    }

    @Test func aMillionAddressesFromAFile() async throws {
        let state = try TemporaryDirectory()
        defer { state.remove() }
        let file = try state.write("source/list.txt", list(0..<1_000_000))
        let runner = FeedRunner(definition: definition(.path(file.path)), stateDirectory: state.path + "/state",
                                log: nil, apply: { add, remove in #expect(add.count == 1_000_000 && remove.isEmpty) })
        let before = Self.peakResidentMegabytes()
        let started = ContinuousClock.now
        #expect(await runner.refresh() == .applied(added: 1_000_000, removed: 0))
        let elapsed = ContinuousClock.now - started
        let after = Self.peakResidentMegabytes()
        print("FeedRunner 1M from a file: refresh \(elapsed), peak RSS \(before) MB -> \(after) MB")
        #expect(await runner.statistics.size == 1_000_000)
        #expect(after - before < 1024)
    }

    static func peakResidentMegabytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024
    }
}

/// A wall clock the test moves.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_700_000_000)
    func advance(_ seconds: Double) { lock.withLock { current += seconds } }
    var now: @Sendable () -> Date { { self.lock.withLock { self.current } } }
}
