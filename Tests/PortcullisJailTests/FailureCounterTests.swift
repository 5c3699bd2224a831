import Testing
@testable import PortcullisJail

@Suite struct FailureCounterTests {
    private let ip = "192.0.2.1"

    private func failure(_ time: Double, _ matches: [String] = [], id: String = "192.0.2.1", count: Int = 1) -> FailureTicket {
        FailureTicket(id: id, time: time, matches: matches, failures: count)
    }

    @Test func bansExactlyAtMaxRetry() {
        var counter = FailureCounter(settings: JailSettings(maxRetry: 3))
        #expect(counter.add(failure(1, ["l1"]), now: 1) == nil)
        #expect(counter.add(failure(2, ["l2"]), now: 2) == nil)
        #expect(counter.failures(for: ip) == 2)
        let ticket = counter.add(failure(3, ["l3"]), now: 3)
        #expect(ticket == FailureTicket(id: ip, time: 3, matches: ["l1", "l2", "l3"], failures: 3))
        // Forgotten once handed over, as toBan does.
        #expect(counter.failures(for: ip) == 0 && counter.currentlyFailed == 0)
        #expect(counter.totalFailed == 3)
        #expect(counter.add(failure(4), now: 4) == nil)
        #expect(counter.failures(for: ip) == 1)
    }

    @Test func maxRetryOneBansOnTheFirstFailure() {
        var counter = FailureCounter(settings: JailSettings(maxRetry: 1))
        #expect(counter.add(failure(1), now: 1)?.failures == 1)
    }

    @Test func idsAreCountedSeparately() {
        var counter = FailureCounter(settings: JailSettings(maxRetry: 2))
        #expect(counter.add(failure(1, id: "a"), now: 1) == nil)
        #expect(counter.add(failure(1, id: "b"), now: 1) == nil)
        #expect(counter.currentlyFailed == 2)
        #expect(counter.add(failure(2, id: "a"), now: 2)?.id == "a")
        #expect(counter.currentlyFailed == 1 && counter.failures(for: "b") == 1)
    }

    // The same sequence run through fail2ban's FailManager (maxretry 5, findtime 600, maxmatches 3).
    @Test func reEstimatesTheCountWhenTheWindowOutgrowsFindtime() {
        var counter = FailureCounter(settings: JailSettings(maxRetry: 5, findTime: 600, maxMatches: 3))
        #expect(counter.add(failure(0, ["a", "b", "c", "d"]), now: 0) == nil)
        #expect(counter.ticket(for: ip)?.matches == ["a", "b", "c", "d"])  // the first report is kept whole
        #expect(counter.add(failure(100, ["e"]), now: 100) == nil)
        #expect(counter.failures(for: ip) == 2)
        #expect(counter.ticket(for: ip)?.matches == ["c", "d", "e"])
        #expect(counter.ticket(for: ip)?.failures == 2)
        // 1000 s after the first: 2 failures in 1000 s is round(1.2) = 1 per findtime, plus this one.
        #expect(counter.add(failure(1000, ["f"]), now: 1000) == nil)
        #expect(counter.failures(for: ip) == 2 && counter.ticket(for: ip)?.failures == 3)
        #expect(counter.add(failure(1300, ["g"]), now: 1300) == nil)
        #expect(counter.failures(for: ip) == 2)
        // An older failure counts but does not move the ticket's time.
        #expect(counter.add(failure(1200, ["h"]), now: 1300) == nil)
        #expect(counter.failures(for: ip) == 3 && counter.ticket(for: ip)?.time == 1300)
        // Three failures at once (`set <jail> attempt` with three messages).
        let ticket = counter.add(failure(1400, ["i"], count: 3), now: 1400)
        #expect(ticket == FailureTicket(id: ip, time: 1400, matches: ["g", "h", "i"], failures: 6))
        #expect(counter.totalFailed == 6)
    }

    @Test func roundingIsHalfToEven() {
        // 1 failure, next one 1200 s later with findtime 600: 1/1200*600 = 0.5 → 0, then +1.
        var counter = FailureCounter(settings: JailSettings(maxRetry: 5, findTime: 600))
        _ = counter.add(failure(0), now: 0)
        _ = counter.add(failure(1200), now: 1200)
        #expect(counter.failures(for: ip) == 1)
        // 3 failures over 400 s then one at 1200: 3/1200*600 = 1.5 → 2, then +1.
        var other = FailureCounter(settings: JailSettings(maxRetry: 9, findTime: 600))
        for t in [0.0, 200, 400] { _ = other.add(failure(t), now: t) }
        _ = other.add(failure(1200), now: 1200)
        #expect(other.failures(for: ip) == 3)
    }

    @Test func purgeForgetsIdsWhoseLastFailureLeftFindtime() {
        var counter = FailureCounter(settings: JailSettings(maxRetry: 5, findTime: 600))
        _ = counter.add(failure(0, id: "old"), now: 0)
        _ = counter.add(failure(500, id: "recent"), now: 500)
        counter.purge(now: 599)
        #expect(counter.currentlyFailed == 2)
        counter.purge(now: 600)  // last failure exactly findtime ago: dropped
        #expect(counter.currentlyFailed == 1 && counter.failures(for: "recent") == 1)
        #expect(counter.totalFailed == 2)
    }

    @Test func maxMatchesZeroKeepsNoneAfterTheFirst() {
        var counter = FailureCounter(settings: JailSettings(maxRetry: 3, maxMatches: 0))
        _ = counter.add(failure(1, ["a"]), now: 1)
        #expect(counter.ticket(for: ip)?.matches == ["a"])
        _ = counter.add(failure(2, ["b"]), now: 2)
        #expect(counter.ticket(for: ip)?.matches == [])
    }

    @Test func fieldsComeFromTheFirstFailure() {
        var counter = FailureCounter(settings: JailSettings(maxRetry: 2))
        _ = counter.add(FailureTicket(id: ip, time: 1, fields: ["user": "root"]), now: 1)
        let ticket = counter.add(FailureTicket(id: ip, time: 2, fields: ["user": "admin"]), now: 2)
        #expect(ticket?.fields == ["user": "root"])
    }

    @Test func settingsChangeAtRunTime() {
        var counter = FailureCounter(settings: JailSettings(maxRetry: 5))
        _ = counter.add(failure(1), now: 1)
        _ = counter.add(failure(2), now: 2)
        counter.settings.maxRetry = 3
        #expect(counter.add(failure(3), now: 3) != nil)
    }

    @Test func extraWeightForKnownOffenders() {
        var counter = FailureCounter(settings: JailSettings(maxRetry: 5))
        #expect(counter.addExtra(2, for: ip) == nil)  // not being counted: nothing happens
        #expect(counter.totalFailed == 0)
        _ = counter.add(failure(1), now: 1)
        #expect(counter.addExtra(2, for: ip) == nil)
        #expect(counter.failures(for: ip) == 3 && counter.totalFailed == 2 && counter.ticket(for: ip)?.failures == 2)
        #expect(counter.addExtra(2, for: ip)?.failures == 3)
    }

    @Test func removeForgetsOneId() {
        var counter = FailureCounter(settings: JailSettings())
        _ = counter.add(failure(1), now: 1)
        counter.remove(ip)
        #expect(counter.currentlyFailed == 0 && counter.totalFailed == 1)
    }
}
