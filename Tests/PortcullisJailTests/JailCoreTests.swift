import Testing
@testable import PortcullisFilter
@testable import PortcullisJail

@Suite struct JailCoreTests {
    private let ip = "192.0.2.1"

    private func core(_ settings: JailSettings = JailSettings(maxRetry: 3, banTime: 600)) throws -> JailCore {
        JailCore(name: "sshd", settings: settings, ignoreList: try IgnoreList(entries: [], ignoreSelf: true))
    }

    private func fail(_ core: inout JailCore, at time: Double, now: Double? = nil, id: String = "192.0.2.1",
                      line: String? = nil, random: Double = 0, overall: BanHistoryEntry? = nil) -> JailDecision {
        core.handle(FailureTicket(id: id, time: time, matches: [line ?? "line \(Int(time))"]),
                    now: now ?? time, random: random, overallHistory: overall)
    }

    private func banned(_ decision: JailDecision) -> BanTicket? {
        if case .ban(let t) = decision { return t }
        return nil
    }

    @Test func countsThenBans() throws {
        var jail = try core()
        #expect(fail(&jail, at: 10) == .counted(failures: 1))
        #expect(fail(&jail, at: 11) == .counted(failures: 2))
        let ticket = try #require(banned(fail(&jail, at: 12)))
        #expect(ticket == BanTicket(id: ip, timeOfBan: 12, banTime: 600, banCount: 1, failures: 3,
                                    matches: ["line 10", "line 11", "line 12"]))
        #expect(jail.bans.contains(ip) && jail.bans.currentlyBanned == 1 && jail.bans.totalBanned == 1)
        #expect(jail.failures.currentlyFailed == 0 && jail.failures.totalFailed == 3)
        #expect(jail.history[ip] == BanHistoryEntry(count: 1, timeOfBan: 12, banTime: 600))
        #expect(jail.bans.nextExpiry == 612)
    }

    @Test func futureFailuresCountAsNow() throws {
        var jail = try core(JailSettings(maxRetry: 1, banTime: 600))
        #expect(banned(fail(&jail, at: 5000, now: 1000))?.timeOfBan == 1000)
    }

    @Test func bansAlreadyOverAreIgnored() throws {
        var jail = try core()
        for t in [0.0, 1] { _ = fail(&jail, at: t, now: 10_000) }
        guard case .expired(let t) = fail(&jail, at: 2, now: 10_000) else { Issue.record("not expired"); return }
        #expect(t.id == ip && t.endTime == 602)
        #expect(jail.bans.currentlyBanned == 0 && jail.bans.totalBanned == 0 && jail.failures.currentlyFailed == 0)
        #expect(jail.history.isEmpty)
    }

    @Test func reachingMaxRetryWhileBannedProlongsOrNot() throws {
        var jail = try core()
        for t in [0.0, 1, 2] { _ = fail(&jail, at: t) }
        // Failures keep being counted while banned; the ban then ends 600 s after the newest one.
        #expect(fail(&jail, at: 100) == .counted(failures: 1))
        _ = fail(&jail, at: 101)
        #expect(fail(&jail, at: 102) == .prolonged(BanTicket(id: ip, timeOfBan: 2, banTime: 700, banCount: 1, failures: 3,
                                                              matches: ["line 0", "line 1", "line 2"])))
        #expect(jail.bans.ticket(for: ip)?.endTime == 702 && jail.bans.totalBanned == 1)
        // A manual ban that would not end later leaves it alone.
        guard case .alreadyBanned(let t) = jail.manualBan(ip, now: 102, random: 0) else { Issue.record("expected alreadyBanned"); return }
        #expect(t.endTime == 702)
    }

    @Test func knownOffendersCountMoreAndGetLongerBans() throws {
        var jail = try core(JailSettings(maxRetry: 5, banTime: 600, increment: BanTimeIncrement()))
        jail.seedHistory([ip: BanHistoryEntry(count: 2, timeOfBan: 0, banTime: 1200)])
        // Each failure counts 2^(2-1) + 1 = 3.
        #expect(fail(&jail, at: 1000) == .counted(failures: 3))
        let ticket = try #require(banned(fail(&jail, at: 1001)))
        #expect(ticket.banCount == 3 && ticket.banTime == 2400 && ticket.failures == 4 && !ticket.restored)
        #expect(jail.failures.totalFailed == 4)
        #expect(jail.history[ip] == BanHistoryEntry(count: 3, timeOfBan: 1001, banTime: 2400))
    }

    @Test func weightIsCappedAtMaxRetry() throws {
        var jail = try core(JailSettings(maxRetry: 4, banTime: 600, increment: BanTimeIncrement()))
        jail.seedHistory([ip: BanHistoryEntry(count: 10, timeOfBan: 0, banTime: 600)])
        // min(2^9 + 1, 4) = 4: one failure bans.
        #expect(banned(fail(&jail, at: 1000))?.banCount == 11)
    }

    @Test func failuresOlderThanTheLastBanAreNotWeighted() throws {
        var jail = try core(JailSettings(maxRetry: 3, banTime: 600, increment: BanTimeIncrement()))
        jail.seedHistory([ip: BanHistoryEntry(count: 1, timeOfBan: 500, banTime: 600)])
        #expect(fail(&jail, at: 400, now: 600) == .counted(failures: 1))
        #expect(fail(&jail, at: 450, now: 600) == .counted(failures: 2))
        // A ban from failures not newer than the recorded ban is that ban re-read: marked restored,
        // its time still grown, the history left as it was.
        let ticket = try #require(banned(fail(&jail, at: 460, now: 600)))
        #expect(ticket.restored && ticket.banTime == 1200 && ticket.banCount == 2)
        #expect(jail.history[ip] == BanHistoryEntry(count: 1, timeOfBan: 500, banTime: 600))
    }

    @Test func withoutIncrementHistoryIsRecordedButNotUsed() throws {
        var jail = try core(JailSettings(maxRetry: 2, banTime: 600))
        jail.seedHistory([ip: BanHistoryEntry(count: 4, timeOfBan: 0, banTime: 600)])
        #expect(fail(&jail, at: 1000) == .counted(failures: 1))
        let ticket = try #require(banned(fail(&jail, at: 1001)))
        #expect(ticket.banCount == 1 && ticket.banTime == 600)
        #expect(jail.history[ip]?.count == 1)
    }

    @Test func overallJailsUsesTheMergedHistory() throws {
        let settings = JailSettings(maxRetry: 1, banTime: 600, increment: BanTimeIncrement(overallJails: true))
        let own = BanHistoryEntry(count: 1, timeOfBan: 0, banTime: 600)
        let merged = try #require(BanHistoryEntry.merged([own, BanHistoryEntry(count: 2, timeOfBan: 50, banTime: 2400)]))
        #expect(merged == BanHistoryEntry(count: 3, timeOfBan: 50, banTime: 3000))
        var jail = try core(settings)
        jail.seedHistory([ip: own])
        let ticket = try #require(banned(fail(&jail, at: 1000, overall: merged)))
        #expect(ticket.banCount == 4 && ticket.banTime == 4800)
        // Without the flag only this jail's history counts, whatever is passed.
        var local = try core(JailSettings(maxRetry: 1, banTime: 600, increment: BanTimeIncrement()))
        local.seedHistory([ip: own])
        let t2 = try #require(banned(fail(&local, at: 1000, overall: merged)))
        #expect(t2.banCount == 2 && t2.banTime == 1200)
        // The flag without a merged record falls back to this jail's.
        var fallback = try core(settings)
        fallback.seedHistory([ip: own])
        #expect(banned(fail(&fallback, at: 1000))?.banTime == 1200)
    }

    @Test func multipliersMaxtimeAndRndtime() throws {
        let increment = BanTimeIncrement(multipliers: [1, 5, 30], maxTime: 1800, rndTime: 100)
        var jail = try core(JailSettings(maxRetry: 1, banTime: 60, increment: increment))
        // First ban: the base, no random part.
        #expect(banned(fail(&jail, at: 0, random: 0.5))?.banTime == 60)
        _ = jail.expire(now: 1000)
        // Second: 60 * 5 + 0.5 * 100.
        #expect(banned(fail(&jail, at: 1000, random: 0.5))?.banTime == 350)
        _ = jail.expire(now: 2000)
        // Third: 60 * 30 = 1800, capped at 1800, + 0.25 * 100.
        let third = try #require(banned(fail(&jail, at: 2000, random: 0.25)))
        #expect(third.banTime == 1825 && third.banCount == 3)
    }

    @Test func permanentBans() throws {
        var jail = try core(JailSettings(maxRetry: 1, banTime: -1, increment: BanTimeIncrement(maxTime: 3600)))
        jail.seedHistory([ip: BanHistoryEntry(count: 2, timeOfBan: 0, banTime: -1)])
        let ticket = try #require(banned(fail(&jail, at: 100)))
        #expect(ticket.isPermanent && ticket.banCount == 3 && ticket.endTime == nil)
        #expect(jail.expire(now: 1e12).isEmpty && jail.bans.nextExpiry == nil)
        // Nothing prolongs a permanent ban.
        guard case .alreadyBanned = jail.manualBan(ip, now: 1e9, random: 0) else { Issue.record("expected alreadyBanned"); return }
    }

    @Test func manualBan() throws {
        var jail = try core(JailSettings(maxRetry: 3, banTime: 600, increment: BanTimeIncrement()))
        jail.seedHistory(["192.0.2.9": BanHistoryEntry(count: 1, timeOfBan: 0, banTime: 600)])
        let ticket = try #require(banned(jail.manualBan("::ffff:192.0.2.9", now: 5000, random: 0)))
        #expect(ticket == BanTicket(id: "192.0.2.9", timeOfBan: 5000, banTime: 1200, banCount: 2, failures: 0))
        #expect(jail.bans.totalBanned == 1 && jail.failures.totalFailed == 0)
        // Again later: the new ban (base time) ends later than 6200? 5700 + 600 = 6300 > 6200: prolonged.
        #expect(jail.manualBan("192.0.2.9", now: 5700, random: 0) == .prolonged(BanTicket(id: "192.0.2.9", timeOfBan: 5000, banTime: 1300, banCount: 2)))
        // A manual ban does not clear counted failures.
        _ = fail(&jail, at: 10, id: "198.51.100.1")
        _ = jail.manualBan("198.51.100.1", now: 11, random: 0)
        #expect(jail.failures.failures(for: "198.51.100.1") == 1)
        // Non-address ids are taken as they are.
        #expect(banned(jail.manualBan("alice", now: 5000, random: 0))?.id == "alice")
    }

    @Test func attemptCountsOncePerMessage() throws {
        var jail = try core()
        #expect(jail.attempt(ip, matches: ["m1", "m2"], now: 10, random: 0) == .counted(failures: 2))
        #expect(jail.attempt(ip, matches: [], now: 11, random: 0) == .ban(BanTicket(id: ip, timeOfBan: 11, banTime: 600, failures: 2, matches: ["m1", "m2"])))
    }

    @Test func unbanForgetsHistory() throws {
        var jail = try core(JailSettings(maxRetry: 1, banTime: 600, increment: BanTimeIncrement()))
        _ = fail(&jail, at: 0)
        _ = fail(&jail, at: 1, id: "192.0.2.2")
        #expect(jail.history.count == 2)
        #expect(jail.unban("::ffff:192.0.2.1")?.id == ip)
        #expect(jail.history[ip] == nil && !jail.bans.contains(ip))
        #expect(jail.unban(ip) == nil)
        // Banned again: a first ban once more.
        #expect(banned(fail(&jail, at: 10))?.banCount == 1)
        // Unbanning an id that is not banned still forgets its history.
        _ = jail.expire(now: 10_000)
        #expect(jail.history[ip] != nil)
        #expect(jail.unban(ip) == nil && jail.history[ip] == nil)
        #expect(jail.unbanAll().map(\.id) == [])
        #expect(jail.history.isEmpty)
    }

    @Test func unbanANetwork() throws {
        var jail = try core(JailSettings(maxRetry: 1, banTime: 600))
        for (i, id) in ["10.0.0.1", "10.0.1.1", "10.1.0.1", "2001:db8::1", "alice"].enumerated() {
            _ = fail(&jail, at: Double(i), id: id)
        }
        #expect(jail.unban(in: IPAddress("10.0.0.0/16")!).map(\.id) == ["10.0.0.1", "10.0.1.1"])
        #expect(jail.bans.tickets.map(\.id) == ["10.1.0.1", "2001:db8::1", "alice"])
        #expect(jail.unbanAll(forgetHistory: false).count == 3)
        #expect(jail.history.count == 5 - 2)
    }

    @Test func expiryKeepsHistory() throws {
        var jail = try core(JailSettings(maxRetry: 1, banTime: 100))
        _ = fail(&jail, at: 0, id: "a")
        _ = fail(&jail, at: 50, id: "b")
        #expect(jail.expire(now: 100).isEmpty)
        #expect(jail.expire(now: 101).map(\.id) == ["a"])
        #expect(jail.bans.nextExpiry == 150)
        #expect(jail.expire(now: 151).map(\.id) == ["b"])
        #expect(jail.history.keys.sorted() == ["a", "b"])
    }

    @Test func restore() throws {
        var jail = try core(JailSettings(maxRetry: 3, banTime: 600))
        let stored = BanTicket(id: ip, timeOfBan: 1000, banTime: 3600, banCount: 3, failures: 5, matches: ["x"])
        // Cut to the jail's bantime (600): over at 1600.
        do { let done = jail.restore(stored, now: 1600); #expect(!done) }
        do { let done = jail.restore(stored, now: 1500); #expect(done) }
        let restored = try #require(jail.bans.ticket(for: ip))
        #expect(restored.restored && restored.banTime == 600 && restored.banCount == 3 && restored.endTime == 1600)
        #expect(jail.bans.totalBanned == 1)
        #expect(jail.history[ip] == BanHistoryEntry(count: 3, timeOfBan: 1000, banTime: 600))
        do { let done = jail.restore(stored, now: 1500); #expect(!done) }  // already banned
        #expect(jail.bans.totalBanned == 1)

        // With increments the bound is bantime.maxtime, or none: a permanent ban stays permanent.
        var unbounded = try core(JailSettings(maxRetry: 3, banTime: 600, increment: BanTimeIncrement()))
        do { let done = unbounded.restore(BanTicket(id: ip, timeOfBan: 0, banTime: -1, banCount: 2), now: 1e9); #expect(done) }
        #expect(unbounded.bans.ticket(for: ip)?.isPermanent == true)
        var bounded = try core(JailSettings(maxRetry: 3, banTime: 600, increment: BanTimeIncrement(maxTime: 86400)))
        do { let done = bounded.restore(BanTicket(id: ip, timeOfBan: 0, banTime: -1, banCount: 2), now: 1000); #expect(done) }
        #expect(bounded.bans.ticket(for: ip)?.banTime == 86400)
        // A newer history entry is kept.
        var seeded = try core()
        seeded.seedHistory([ip: BanHistoryEntry(count: 7, timeOfBan: 5000, banTime: 600)])
        do { let done = seeded.restore(BanTicket(id: ip, timeOfBan: 4900, banTime: 600), now: 4950); #expect(done) }
        #expect(seeded.history[ip]?.count == 7)
    }

    @Test func purgesAfterABan() throws {
        var jail = try core(JailSettings(maxRetry: 2, findTime: 600, banTime: 600))
        _ = fail(&jail, at: 0, id: "old")
        _ = fail(&jail, at: 1000, id: "x")
        #expect(jail.failures.currentlyFailed == 2)
        _ = fail(&jail, at: 1001, id: "x")  // a ban: the service purges "old"
        #expect(jail.failures.currentlyFailed == 0)
        _ = fail(&jail, at: 0, now: 1002, id: "old2")
        _ = fail(&jail, at: 1002, id: "y")
        _ = fail(&jail, at: 1003, id: "y")  // within 5 s of the last service: no purge
        #expect(jail.failures.currentlyFailed == 1)
        jail.performService(now: 1003, force: true)
        #expect(jail.failures.currentlyFailed == 0)
    }

    @Test func settingsAreSharedWithTheCounter() throws {
        var jail = try core()
        jail.settings.maxRetry = 1
        #expect(jail.failures.settings.maxRetry == 1)
        #expect(banned(fail(&jail, at: 0)) != nil)
        jail.settings.banTime = 60
        #expect(banned(fail(&jail, at: 1, id: "b"))?.banTime == 60)
    }

    @Test func failureFromTheFilter() throws {
        var fields = FailureFields()
        fields["user"] = "root"
        fields["port"] = nil
        fields["ip4"] = nil
        fields["custom"] = "value with spaces"
        let failure = Failure(regexIndex: 0, id: "192.0.2.1", address: nil, needsResolution: false, time: nil,
                              fields: fields, matches: ["l"], users: [], isNoFail: false)
        let ticket = try #require(FailureTicket(failure, now: 42))
        // Only the fields holding a value: a group present without one (`port`, `ip4`) is left out.
        #expect(ticket.fields == ["user": "root", "custom": "value with spaces"])
        #expect(ticket == FailureTicket(id: "192.0.2.1", time: 42, matches: ["l"], failures: 1,
                                        fields: ["user": "root", "custom": "value with spaces"]))
        var noFail = failure
        noFail.isNoFail = true
        #expect(FailureTicket(noFail, now: 42) == nil)
        var noID = failure
        noID.id = nil
        #expect(FailureTicket(noID, now: 42) == nil)
    }
}
