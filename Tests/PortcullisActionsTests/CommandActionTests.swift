import Testing
import Foundation
@testable import PortcullisActions
import PortcullisConfig

/// fail2ban's `CommandAction` life cycle with real `/bin/sh` commands recording what they do.
@Suite struct CommandActionTests {
    @Test func failingCommandReportsStatusStderrAndCommand() async throws {
        let fixture = try ActionFixture("""
            [Definition]
            actionban = echo try >> $D/record; echo "no chain <ip>" >&2; exit 4
            """)
        defer { fixture.remove() }
        let action = try fixture.action()
        await #expect(throws: ActionError.self) { try await action.ban(.v4()) }
        do {
            try await action.ban(.v4("192.0.2.8"))
        } catch {
            #expect(error.status == 4)
            #expect(error.stderr == "no chain 192.0.2.8\n")
            #expect(error.operation == "actionban")
            #expect(error.action == "test")
            #expect(error.jail == "t")
            #expect(!error.timedOut)
            #expect(error.command == "echo try >> \(fixture.record); echo \"no chain 192.0.2.8\" >&2; exit 4")
            #expect(error.description.contains("Error executing actionban of action 'test' in jail 't' -- returned 4 -- exec: echo try"))
            #expect(error.description.hasSuffix("-- stderr: 'no chain 192.0.2.8'"))
        }
        // Like fail2ban, a failed command is run once more.
        #expect(fixture.recorded() == ["try", "try", "try", "try"])
        let errors = fixture.log.messages(at: .error, from: "fail2ban.utils")
        #expect(errors.contains { $0.hasSuffix(" -- exec: echo try >> \(fixture.record); echo \"no chain 192.0.2.8\" >&2; exit 4") })
        #expect(errors.contains { $0.hasSuffix(" -- stderr: 'no chain 192.0.2.8'") })
        #expect(errors.contains { $0.hasSuffix(" -- returned 4") })
    }

    @Test func timeoutComesFromTheDefinition() async throws {
        let fixture = try ActionFixture("""
            [Definition]
            actionban = sleep 30
            [Init]
            timeout = 0.3
            """)
        defer { fixture.remove() }
        let action = try fixture.action()
        #expect(await action.timeout == 0.3)
        let started = Date()
        do {
            try await action.ban(.v4())
            Issue.record("no error")
        } catch {
            #expect(error.timedOut)
            #expect(error.status < 0)
            #expect(error.description.contains("timed out"))
        }
        #expect(Date().timeIntervalSince(started) < 15)  // two tries of a 30 s sleep, each killed
        #expect(fixture.log.messages(at: .error, from: "fail2ban.utils").contains { $0.hasSuffix("-- timed out after 0.3 seconds.") })
    }

    @Test func conditionalActionStartsEachFamilyOnDemand() async throws {
        let fixture = try ActionFixture("""
            [Definition]
            actionstart = echo start-<family>-<cmd> >> $D/record
            actionstop = echo stop-<family>-<cmd> >> $D/record
            actionban = echo ban-<ip>-<cmd> >> $D/record
            actionunban = echo unban-<ip>-<cmd> >> $D/record
            [Init]
            cmd = four
            [Init?family=inet6]
            cmd = six
            """)
        defer { fixture.remove() }
        let action = try fixture.action()
        #expect(await action.startsOnDemand)
        try await action.start()
        #expect(fixture.recorded().isEmpty)
        try await action.ban(.v4())
        try await action.ban(.v4("192.0.2.2"))
        try await action.ban(.v6())
        try await action.unban(.v6())
        try await action.stop()
        #expect(fixture.recorded() == ["start-inet4-four", "ban-192.0.2.1-four", "ban-192.0.2.2-four",
                                       "start-inet6-six", "ban-2001:db8::1-six", "unban-2001:db8::1-six",
                                       "stop-inet4-four", "stop-inet6-six"])
    }

    @Test func explicitStartOnDemandFlags() async throws {
        let onDemand = try ActionFixture("""
            [Definition]
            actionstart_on_demand = true
            actionstart = echo start-<family> >> $D/record
            actionban = echo ban-<ip> >> $D/record
            """)
        defer { onDemand.remove() }
        let lazy = try onDemand.action()
        try await lazy.start()
        #expect(onDemand.recorded().isEmpty)
        try await lazy.ban(.v4())
        #expect(onDemand.recorded() == ["start-inet4", "ban-192.0.2.1"])

        let eager = try ActionFixture("""
            [Definition]
            actionstart_on_demand = false
            actionstart = echo start-<family>-<cmd> >> $D/record
            actionban = echo ban-<ip> >> $D/record
            [Init]
            cmd = four
            [Init?family=inet6]
            cmd = six
            """)
        defer { eager.remove() }
        let both = try eager.action(ipv6: true)
        try await both.start()
        #expect(eager.recorded() == ["start-inet4-four", "start-inet6-six"])
        try await both.ban(.v6())
        #expect(eager.recorded() == ["start-inet4-four", "start-inet6-six", "ban-2001:db8::1"])
        eager.clearRecord()
        try await eager.action(ipv6: false).start()
        #expect(eager.recorded() == ["start-inet4-four"])
    }

    @Test func plainActionStartsOnceAndStopsOnce() async throws {
        let fixture = try ActionFixture("""
            [Definition]
            actionstart = echo start >> $D/record
            actionstop = echo stop >> $D/record
            actionban = echo ban <ip> >> $D/record
            """)
        defer { fixture.remove() }
        let action = try fixture.action()
        #expect(!(await action.startsOnDemand))
        try await action.start()
        try await action.start()
        try await action.ban(.v4())
        try await action.ban(.v6())
        try await action.stop()
        try await action.stop()
        #expect(fixture.recorded() == ["start", "ban 192.0.2.1", "ban 2001:db8::1", "stop"])
    }

    @Test func norestoredSkipsRestoredBans() async throws {
        let fixture = try ActionFixture("""
            [Definition]
            norestored = 1
            actionban = echo ban <ip> <restored> >> $D/record
            """)
        defer { fixture.remove() }
        let action = try fixture.action()
        #expect(await action.skipsRestoredBans)
        try await action.ban(.v4("192.0.2.1", restored: true))
        try await action.ban(.v4("192.0.2.2", restored: false))
        #expect(fixture.recorded() == ["ban 192.0.2.2 0"])

        let keeps = try ActionFixture("[Definition]\nactionban = echo ban <ip> <restored> >> $D/record\n")
        defer { keeps.remove() }
        try await keeps.action().ban(.v4("192.0.2.1", restored: true))
        #expect(keeps.recorded() == ["ban 192.0.2.1 1"])
    }

    @Test func unbanOnlyWhereABanSucceeded() async throws {
        let fixture = try ActionFixture("""
            [Definition]
            actionban = echo ban <ip> >> $D/record
            actionunban = echo unban <ip> >> $D/record
            """)
        defer { fixture.remove() }
        let action = try fixture.action()
        try await action.unban(.v4())
        try await action.ban(.v6())
        try await action.unban(.v4())
        try await action.unban(.v6())
        #expect(fixture.recorded() == ["ban 2001:db8::1", "unban 2001:db8::1"])
    }

    @Test func flushRunsActionflushPerFamilyHoldingBans() async throws {
        let fixture = try ActionFixture("""
            [Definition]
            actionban = echo ban <ip> >> $D/record
            actionflush = echo flush <cmd> >> $D/record
            [Init]
            cmd = four
            [Init?family=inet6]
            cmd = six
            """)
        defer { fixture.remove() }
        let action = try fixture.action()
        #expect(try await action.flush() == .nothingToFlush)
        try await action.ban(.v4())
        try await action.ban(.v6())
        #expect(try await action.flush() == .flushed)
        #expect(try await action.flush() == .nothingToFlush)
        #expect(fixture.recorded() == ["ban 192.0.2.1", "ban 2001:db8::1", "flush four", "flush six"])
    }

    @Test func flushWithoutActionflushUnbansEach() async throws {
        let fixture = try ActionFixture("""
            [Definition]
            actionban = echo ban <ip> >> $D/record
            actionunban = echo unban <ip> >> $D/record
            """)
        defer { fixture.remove() }
        let action = try fixture.action()
        try await action.ban(.v4("192.0.2.1"))
        try await action.ban(.v4("192.0.2.2"))
        #expect(try await action.flush(orUnban: [.v4("192.0.2.1"), .v4("192.0.2.2")]) == .unbannedEach(2))
        #expect(fixture.recorded() == ["ban 192.0.2.1", "ban 192.0.2.2", "unban 192.0.2.1", "unban 192.0.2.2"])
    }

    @Test func failedBanIsRepairedThroughActioncheck() async throws {
        let fixture = try ActionFixture("""
            [Definition]
            actioncheck = test -e $D/sane
            actionrepair = touch $D/sane; echo repair >> $D/record
            actionban = test -e $D/sane && echo ban <ip> >> $D/record
            actionunban = test -e $D/sane && echo unban <ip> >> $D/record
            """)
        defer { fixture.remove() }
        let action = try fixture.action()
        try await action.ban(.v4())
        #expect(fixture.recorded() == ["repair", "ban 192.0.2.1"])
        #expect(await action.banEpoch == 1)
        #expect(fixture.log.messages(at: .error, from: "fail2ban.CommandAction") == ["Invariant check failed. Trying to restore a sane environment"])
        #expect(await action.check())

        // An unban does not repair unless `actionrepair_on_unban` says so.
        try FileManager.default.removeItem(atPath: fixture.dir + "/sane")
        try await action.ban(.v4("192.0.2.3"))  // repaired again, so the family holds bans
        try FileManager.default.removeItem(atPath: fixture.dir + "/sane")
        #expect(!(await action.check()))
        do {
            try await action.unban(.v4())
            Issue.record("unban should fail")
        } catch {
            #expect(error.reason == "invariant check failed, unban is impossible")
            #expect(error.status == 1)
        }
        #expect(fixture.log.messages(at: .error, from: "fail2ban.CommandAction").last == "Invariant check failed. Unban is impossible.")
    }

    @Test func repairWithoutActionrepairRestartsTheFamily() async throws {
        let fixture = try ActionFixture("""
            [Definition]
            actionstart = echo start >> $D/record; touch $D/sane
            actionstop = echo stop >> $D/record
            actioncheck = test -e $D/sane
            actionban = echo ban <ip> >> $D/record
            """)
        defer { fixture.remove() }
        let action = try fixture.action()
        try await action.start()
        try await action.ban(.v4())
        try FileManager.default.removeItem(atPath: fixture.dir + "/sane")
        #expect(await action.consistencyCheck())
        #expect(fixture.recorded() == ["start", "ban 192.0.2.1", "stop", "start"])
        try await action.repair()
        #expect(fixture.recorded() == ["start", "ban 192.0.2.1", "stop", "start", "stop", "start"])
        #expect(await action.banEpoch == 2)
    }

    @Test func operationsWithoutABanGetTheEmptyTicket() async throws {
        let fixture = try ActionFixture("""
            [Definition]
            actionstart = echo "start [<ip>] <time> <bantime> <failures> <family>" >> $D/record
            """)
        defer { fixture.remove() }
        try await fixture.action(clock: { 1_700_000_042.5 }).start()
        #expect(fixture.recorded() == ["start [] 1700000042.5 3600 0 <family>"])
    }

    @Test func commandsAndPropertiesAsFail2banClientShowsThem() async throws {
        let fixture = try ActionFixture("""
            [Definition]
            actionban = echo ban <ip> <port> >> $D/record
            actionunban = echo unban <ip> >> $D/record
            [Init]
            port = ssh
            """)
        defer { fixture.remove() }
        let action = try fixture.action()
        #expect(await action.command("actionban") == "echo ban <ip> ssh >> \(fixture.record)")
        #expect(await action.command("actionreload") == "")
        #expect(await action.command("nonsense") == nil)
        #expect(await action.property("port") == "ssh")
        #expect(await action.property("timeout") == "60")
        #expect(await action.property("actname") == "test")
        await action.setProperty("timeout", "2m")
        #expect(await action.property("timeout") == "120")
        await action.setProperty("bantime", "10")
        #expect(await action.property("bantime") == nil)
        await action.setProperty("actionban", "echo set <ip> <port> >> \(fixture.record)")
        await action.setProperty("port", "<cond>")
        await action.setProperty("cond", "v4")
        await action.setProperty("cond?family=inet6", "v6")
        try await action.ban(.v4())
        try await action.ban(.v6())
        #expect(fixture.recorded() == ["set 192.0.2.1 v4", "set 2001:db8::1 v6"])
    }

    @Test func concurrentBansAreSerialised() async throws {
        let fixture = try ActionFixture("""
            [Definition]
            actionstart_on_demand = true
            actionstart = echo start >> $D/record; sleep 0.1
            actionban = echo ban <ip> >> $D/record
            """)
        defer { fixture.remove() }
        let action = try fixture.action()
        await withTaskGroup(of: Void.self) { group in
            for i in 1...12 { group.addTask { try? await action.ban(.v4("192.0.2.\(i)")) } }
        }
        let lines = fixture.recorded()
        #expect(lines.first == "start")
        #expect(lines.filter { $0 == "start" }.count == 1)
        #expect(Set(lines.dropFirst()) == Set((1...12).map { "ban 192.0.2.\($0)" }))
    }

    @Test func rebanProlongReloadAndFlushAndStop() async throws {
        let fixture = try ActionFixture("""
            [Definition]
            actionstart = echo start >> $D/record
            actionstop = echo stop >> $D/record
            actionreload = echo reload >> $D/record
            actionban = echo ban <ip> >> $D/record
            actionreban = echo reban <ip> >> $D/record
            actionprolong = echo prolong <ip> <bantime> >> $D/record
            actionunban = echo unban <ip> >> $D/record
            """)
        defer { fixture.remove() }
        let action = try fixture.action()
        #expect(await action.isProlongable)
        try await action.start()
        try await action.ban(.v4())
        try await action.reban(.v4())
        var longer = BanInfo.v4()
        longer.banTime = 7200
        try await action.prolong(longer)
        try await action.reload()
        try await action.flushAndStop(banned: [.v4()])
        #expect(fixture.recorded() == ["start", "ban 192.0.2.1", "reban 192.0.2.1", "prolong 192.0.2.1 7200", "reload",
                                       "unban 192.0.2.1", "stop"])
    }
}
