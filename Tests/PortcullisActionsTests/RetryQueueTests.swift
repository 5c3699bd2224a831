import Testing
import Foundation
@testable import PortcullisActions
import PortcullisConfig

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double
    init(_ start: Double) { value = start }
    var now: Double { lock.withLock { value } }
    func advance(_ seconds: Double) { lock.withLock { value += seconds } }
    var function: @Sendable () -> Double { { [self] in now } }
}

@Suite struct RetryScheduleTests {
    typealias Schedule = RetrySchedule<String>

    @Test func backoffDoublesUpToTheCap() {
        let backoff = RetryBackoff()
        #expect((1...9).map { backoff.delay(afterFailures: $0) } == [1, 2, 4, 8, 16, 32, 60, 60, 60])
        #expect(RetryBackoff(initial: 0.5, maximum: 3).delay(afterFailures: 4) == 3)
        #expect(backoff.delay(afterFailures: 10_000) == 60)
    }

    @Test func repeatedFailuresBackOffAndANewIntentStartsOver() {
        var schedule = Schedule(backoff: RetryBackoff())
        let key = Schedule.Key(action: "a", subject: "192.0.2.1")
        #expect(schedule.failed(key, operation: "ban", payload: "p", now: 100).due == 101)
        #expect(schedule.failed(key, operation: "ban", payload: "p", now: 101).due == 103)
        #expect(schedule.failed(key, operation: "ban", payload: "p", now: 103).failures == 3)
        #expect(schedule.nextDue == 107)
        let unban = schedule.failed(key, operation: "unban", payload: "q", now: 104)
        #expect(unban.failures == 1 && unban.due == 105 && unban.payload == "q")
        #expect(schedule.pending.count == 1)
        #expect(schedule.due(now: 104.9).isEmpty)
        #expect(schedule.due(now: 105).map(\.operation) == ["unban"])
        schedule.clear(key)
        #expect(schedule.pending.isEmpty && schedule.nextDue == nil)
    }

    @Test func dueEntriesComeOldestFirstAndClearPerAction() {
        var schedule = Schedule(backoff: RetryBackoff())
        schedule.failed(.init(action: "a", subject: "1"), operation: "ban", payload: "", now: 10)
        schedule.failed(.init(action: "b", subject: "2"), operation: "ban", payload: "", now: 11)
        schedule.failed(.init(action: "a", subject: "3"), operation: "ban", payload: "", now: 12)
        #expect(schedule.due(now: 20).map(\.key.subject) == ["1", "2", "3"])
        schedule.clear(action: "a")
        #expect(schedule.pending.map(\.key.subject) == ["2"])
    }
}

@Suite struct ActionRetryQueueTests {
    static let flaky = """
        [Definition]
        actionban = if test -e $D/ok; then echo ban <ip> >> $D/record; else echo "firewall busy" >&2; exit 3; fi
        actionunban = if test -e $D/unban-ok; then echo unban <ip> >> $D/record; else echo "cannot unban" >&2; exit 5; fi
        """

    @Test func failedBanIsRetriedWithBackoffUntilItSucceeds() async throws {
        let fixture = try ActionFixture(Self.flaky)
        defer { fixture.remove() }
        let clock = ManualClock(1000)
        let action = try fixture.action()
        let log = LogRecorder()
        let queue = ActionRetryQueue(log: log.sink, clock: clock.function)

        let first = await queue.perform(.ban, .v4(), on: action)
        guard case .failure(let error) = first else { Issue.record("ban should fail"); return }
        #expect(error.status == 3)
        #expect(await queue.pending.map(\.due) == [1001])

        #expect(await queue.retryDue(now: 1000.5).isEmpty)
        let second = await queue.retryDue(now: 1001)
        guard case .failedAgain(let pending)? = second.first else { Issue.record("\(second)"); return }
        #expect(pending.failures == 2 && pending.due == 1003)
        clock.advance(3)
        try FileManager.default.createDirectory(atPath: fixture.dir + "/ok", withIntermediateDirectories: true)
        let third = await queue.retryDue()
        guard case .succeeded(let done)? = third.first else { Issue.record("\(third)"); return }
        #expect(done.info.ip == "192.0.2.1" && done.operation == .ban)
        #expect(await queue.pending.isEmpty)
        #expect(fixture.recorded() == ["ban 192.0.2.1"])

        // The queue's report names the command line, status and stderr; the action logged
        // fail2ban.utils' exec / stderr / returned lines.
        let reports = log.messages(at: .error, from: "fail2ban.actions")
        #expect(reports.count == 2)
        #expect(reports.first?.hasPrefix("Failed to execute ban jail 't' action 'test' info 'ActionInfo({'ip': '192.0.2.1', 'family': 'inet4', 'fid': '192.0.2.1'})': Error executing actionban") == true)
        #expect(reports.first?.contains("-- returned 3 -- exec: if test -e \(fixture.dir)/ok; then echo ban 192.0.2.1") == true)
        #expect(reports.first?.contains("-- stderr: 'firewall busy' -- will retry in 1.0 s") == true)
        #expect(reports.last?.hasSuffix("-- retry 1 failed, retrying in 2.0 s") == true)
        #expect(log.messages(at: .notice, from: "fail2ban.actions") == ["[t] ban 192.0.2.1 with action 'test' succeeded on retry 2"])
        let utils = fixture.log.messages(at: .error, from: "fail2ban.utils")
        #expect(utils.contains { $0.contains(" -- exec: if test -e ") })
        #expect(utils.contains { $0.hasSuffix(" -- stderr: 'firewall busy'") })
        #expect(utils.contains { $0.hasSuffix(" -- returned 3") })
    }

    @Test func unbanAfterAFailedBanCancelsTheBan() async throws {
        let fixture = try ActionFixture(Self.flaky)
        defer { fixture.remove() }
        let clock = ManualClock(0)
        let action = try fixture.action()
        let queue = ActionRetryQueue(log: nil, clock: clock.function)
        _ = await queue.perform(.ban, .v4(), on: action)
        #expect(await queue.pending.map(\.operation) == [.ban])
        // The ban never took, so the action has nothing to unban: success, nothing pending.
        let unban = await queue.perform(.unban, .v4(), on: action)
        guard case .success = unban else { Issue.record("\(unban)"); return }
        #expect(await queue.pending.isEmpty)
        #expect(await queue.retryDue(now: 100).isEmpty)
        #expect(fixture.recorded().isEmpty)
    }

    @Test func latestIntentWinsOverAPendingUnban() async throws {
        let fixture = try ActionFixture(Self.flaky)
        defer { fixture.remove() }
        try FileManager.default.createDirectory(atPath: fixture.dir + "/ok", withIntermediateDirectories: true)
        let clock = ManualClock(0)
        let action = try fixture.action()
        let queue = ActionRetryQueue(log: nil, clock: clock.function)
        _ = await queue.perform(.ban, .v4(), on: action)
        _ = await queue.perform(.unban, .v4(), on: action)
        #expect(await queue.pending.map(\.operation) == [.unban])
        _ = await queue.perform(.ban, .v4(), on: action)
        #expect(await queue.pending.isEmpty)
        #expect(fixture.recorded() == ["ban 192.0.2.1", "ban 192.0.2.1"])
    }

    @Test func givesUpAfterMaxAttempts() async throws {
        let fixture = try ActionFixture(Self.flaky)
        defer { fixture.remove() }
        let clock = ManualClock(0)
        let action = try fixture.action()
        let log = LogRecorder()
        let queue = ActionRetryQueue(backoff: RetryBackoff(initial: 1, maximum: 2), maxAttempts: 3, log: log.sink, clock: clock.function)
        _ = await queue.perform(.ban, .v6(), on: action)
        guard case .failedAgain? = await queue.retryDue(now: 1).first else { Issue.record("expected a second failure"); return }
        let last = await queue.retryDue(now: 3)
        guard case .gaveUp(let entry)? = last.first else { Issue.record("\(last)"); return }
        #expect(entry.failures == 3 && entry.lastError.status == 3)
        #expect(await queue.pending.isEmpty)
        #expect(log.messages(at: .error, from: "fail2ban.actions").last?.hasPrefix("[t] giving up ban of 2001:db8::1 with action 'test' after 3 attempts: Error executing actionban") == true)
    }

    @Test func cancelForgetsPendingOperations() async throws {
        let fixture = try ActionFixture(Self.flaky)
        defer { fixture.remove() }
        let action = try fixture.action()
        let queue = ActionRetryQueue(log: nil, clock: { 0 })
        _ = await queue.perform(.ban, .v4("192.0.2.1"), on: action)
        _ = await queue.perform(.ban, .v4("192.0.2.2"), on: action)
        await queue.cancel(.v4("192.0.2.1"), on: action)
        #expect(await queue.pending.map(\.info.ip) == ["192.0.2.2"])
        await queue.cancelAll(on: action)
        #expect(await queue.pending.isEmpty)
    }

    @Test func backgroundTaskRetriesOnItsOwn() async throws {
        let fixture = try ActionFixture(Self.flaky)
        defer { fixture.remove() }
        let action = try fixture.action()
        let queue = ActionRetryQueue(backoff: RetryBackoff(initial: 0.05, maximum: 0.1), log: nil)
        _ = await queue.perform(.ban, .v4(), on: action)
        await queue.start(interval: 0.05)
        try FileManager.default.createDirectory(atPath: fixture.dir + "/ok", withIntermediateDirectories: true)
        let deadline = Date().addingTimeInterval(5)
        while await !queue.pending.isEmpty, Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        await queue.stop()
        #expect(await queue.pending.isEmpty)
        #expect(fixture.recorded() == ["ban 192.0.2.1"])
    }
}
