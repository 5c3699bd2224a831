import Foundation
import PortcullisClient
import PortcullisTestSupport
import Testing
@testable import PortcullisServer

/// The daemon in process, on a small config tree of its own with an action that records to a
/// file: failures counted from a real log file, bans recorded before the action runs, client
/// commands answered, bans restored after a restart.
@Suite(.serialized)
struct DaemonTests {
    final class Tree: @unchecked Sendable {
        let directory: TemporaryDirectory
        var path: String { directory.path }
        var socket: String { path + "/d.sock" }
        var log: String { path + "/app.log" }
        var record: String { path + "/actions.txt" }

        init(jailOptions: String = "") throws {
            directory = try TemporaryDirectory(prefix: "portcullis-daemon")
            try directory.write("etc/fail2ban.local", """
                [Definition]
                logtarget = \(path)/daemon.log
                socket = \(socket)
                pidfile = \(path)/d.pid
                dbfile = \(path)/d.sqlite3
                """)
            try directory.write("etc/filter.d/app.conf", """
                [Definition]
                failregex = ^\\s*login failed for <F-USER>\\S+</F-USER> from <HOST>$
                datepattern = {^LN-BEG}EPOCH
                """)
            try directory.write("etc/action.d/record.conf", """
                [Definition]
                actionstart = echo start <name> >> <file>
                actionstop = echo stop <name> >> <file>
                actionban = echo ban <ip> <failures> <F-USER> >> <file>
                actionunban = echo unban <ip> >> <file>
                [Init]
                file = \(record)
                """)
            try directory.write("etc/jail.conf", """
                [DEFAULT]
                ignoreself = false
                [app]
                enabled = true
                filter = app
                logpath = \(log)
                maxretry = 2
                findtime = 10m
                bantime = 1h
                action = record
                \(jailOptions)
                """)
            _ = FileManager.default.createFile(atPath: log, contents: nil)
        }

        func append(_ lines: [String]) throws {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            try handle.seekToEnd()
            let now = Int(Date().timeIntervalSince1970)
            try handle.write(contentsOf: Data(lines.map { "\(now) \($0)\n" }.joined().utf8))
            try handle.close()
        }

        func recorded() -> String { (try? String(contentsOfFile: record, encoding: .utf8)) ?? "" }
    }

    static func start(_ tree: Tree) async throws -> (Daemon, Task<Void, Error>) {
        let daemon = try Daemon(configuration: ServerConfiguration(configDirectory: tree.path + "/etc", removeStaleSocket: true))
        let task = Task { try await daemon.run() }
        try await eventually("the daemon answers", timeout: 10) { ControlConnection.isAnswering(socketPath: tree.socket) }
        return (daemon, task)
    }

    static func send(_ tree: Tree, _ words: [String]) async throws -> ControlResponse {
        try await Task.detached { try ControlConnection.send(words, socketPath: tree.socket, timeout: 10) }.value
    }

    @Test func bansFromTheLogRunTheActionAndAnswerTheClient() async throws {
        let tree = try Tree()
        defer { tree.directory.remove() }
        let (daemon, task) = try await Self.start(tree)
        try tree.append(["login failed for alice from 192.0.2.7", "login failed for bob from 198.51.100.1",
                         "login failed for alice from 192.0.2.7"])
        try await eventually("the action ran", timeout: 10) { tree.recorded().contains("ban 192.0.2.7 2 alice") }
        #expect(!tree.recorded().contains("198.51.100.1"))

        guard case .ok(let status) = try await Self.send(tree, ["status", "app"]) else { Issue.record("status failed"); return }
        let text = Beautifier.format(command: ["status", "app"], response: status)
        #expect(text.contains("Currently failed:\t1"))
        #expect(text.contains("Total failed:\t3"))
        #expect(text.contains("Banned IP list:\t192.0.2.7"))

        #expect(try await Self.send(tree, ["set", "app", "banip", "203.0.113.9"]) == .ok(.int(1)))
        try await eventually("the manual ban ran", timeout: 10) { tree.recorded().contains("ban 203.0.113.9") }
        #expect(try await Self.send(tree, ["banned", "203.0.113.9"]) == .ok(.list([.list([.string("app")])])))
        #expect(try await Self.send(tree, ["set", "app", "unbanip", "203.0.113.9"]) == .ok(.int(1)))
        try await eventually("the unban ran", timeout: 10) { tree.recorded().contains("unban 203.0.113.9") }
        #expect(try await Self.send(tree, ["get", "app", "maxretry"]) == .ok(.int(2)))
        #expect(try await Self.send(tree, ["get", "app", "actions"]) == .ok(.list([.string("record")])))
        guard case .ok(.list(let regexes)) = try await Self.send(tree, ["set", "app", "addfailregex", "^denied <HOST>$"]) else {
            Issue.record("addfailregex failed"); return
        }
        #expect(regexes.count == 2)
        guard case .failure = try await Self.send(tree, ["set", "app", "addfailregex", "^broken (<HOST>$"]) else {
            Issue.record("a regex that does not compile must be refused"); return
        }
        #expect(try await Self.send(tree, ["set", "app", "maxlines", "3"]) == .ok(.int(3)))
        // fail2ban's booleans: yes/on/1/true in any case, anything else is false.
        #expect(try await Self.send(tree, ["set", "app", "ignoreself", "Yes"]) == .ok(.bool(true)))
        #expect(try await Self.send(tree, ["set", "app", "ignoreself", "maybe"]) == .ok(.bool(false)))
        guard case .failure = try await Self.send(tree, ["status", "nosuchjail"]) else {
            Issue.record("an unknown jail must be an error"); return
        }

        daemon.requestStop()
        try await task.value
        #expect(tree.recorded().contains("stop app"))
        #expect(!FileManager.default.fileExists(atPath: tree.socket))
    }

    /// Failures are handled on the actor without waiting unless `ignorecommand` (a process) or
    /// `bantime.overalljails` (a store read) needs to: both paths ignore what they must, log
    /// `Found` and ban in the order of the log.
    @Test(arguments: [false, true])
    func ignoreListsAndIgnorecommandDecideOnBothPaths(withCommand: Bool) async throws {
        let command = withCommand ? "ignorecommand = test <ip> = 192.0.2.51" : ""
        let tree = try Tree(jailOptions: "ignoreip = 192.0.2.50\n\(command)")
        defer { tree.directory.remove() }
        let (daemon, task) = try await Self.start(tree)
        try tree.append(["login failed for alice from 192.0.2.50", "login failed for bob from 192.0.2.51",
                         "login failed for carol from 192.0.2.52", "login failed for alice from 192.0.2.50",
                         "login failed for bob from 192.0.2.51", "login failed for carol from 192.0.2.52"])
        try await eventually("the ban of 192.0.2.52", timeout: 10) { tree.recorded().contains("ban 192.0.2.52 2 carol") }
        let log = try String(contentsOfFile: tree.path + "/daemon.log", encoding: .utf8)
        #expect(log.contains("[app] Ignore 192.0.2.50 by ip"))
        #expect(log.contains("[app] Found 192.0.2.52 - "))
        #expect(!log.contains("Found 192.0.2.50"))
        if withCommand {
            #expect(log.contains("[app] Ignore 192.0.2.51 by command"))
            #expect(!tree.recorded().contains("192.0.2.51"))
        } else {
            #expect(log.contains("[app] Found 192.0.2.51 - "))
            try await eventually("the ban of 192.0.2.51", timeout: 10) { tree.recorded().contains("ban 192.0.2.51 2 bob") }
        }
        #expect(!tree.recorded().contains("192.0.2.50"))
        daemon.requestStop()
        try await task.value
    }

    @Test func bansComeBackAfterARestart() async throws {
        let tree = try Tree()
        defer { tree.directory.remove() }
        var (daemon, task) = try await Self.start(tree)
        try tree.append(["login failed for eve from 192.0.2.50", "login failed for eve from 192.0.2.50"])
        try await eventually("the ban ran", timeout: 10) { tree.recorded().contains("ban 192.0.2.50") }
        daemon.requestStop()
        try await task.value

        (daemon, task) = try await Self.start(tree)
        try await eventually("the ban is restored", timeout: 10) {
            tree.recorded().split(separator: "\n").filter { $0.hasPrefix("ban 192.0.2.50") }.count == 2
        }
        let log = try String(contentsOfFile: tree.path + "/daemon.log", encoding: .utf8)
        #expect(log.contains("NOTICE  [app] Restore Ban 192.0.2.50"))
        // The log was read up to its end before: the old lines are not counted again.
        guard case .ok(let status) = try await Self.send(tree, ["status", "app"]) else { return }
        #expect(Beautifier.format(command: ["status", "app"], response: status).contains("Total failed:\t0"))
        daemon.requestStop()
        try await task.value
    }

    /// User names that would create `marker` if they reached a shell unescaped (quote breaking
    /// and command substitution), each without spaces, as `<F-USER>` captures them.
    static func hostileUserNames(touching marker: String) -> [String] {
        ["x';touch${IFS}\(marker);'", "$(touch${IFS}\(marker))"]
    }

    @Test func hostileUserNamesNeverReachTheShell() async throws {
        let tree = try Tree()
        defer { tree.directory.remove() }
        let (daemon, task) = try await Self.start(tree)
        let marker = tree.path + "/pwned"
        try tree.append(Self.hostileUserNames(touching: marker).map { "login failed for \($0) from 192.0.2.66" })
        // Invalid UTF-8, a 1 MB line, and an address injected in a user name: no crash, no wrong ban.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: tree.log))
        try handle.seekToEnd()
        let now = Int(Date().timeIntervalSince1970)
        var bytes = Array("\(now) login failed for \u{FF}".utf8) + [0xFF, 0xC3, 0x28] + Array(" from 192.0.2.66\n".utf8)
        bytes += Array("\(now) login failed for ".utf8) + [UInt8](repeating: 0x41, count: 1_000_000) + Array(" from 192.0.2.66\n".utf8)
        bytes += Array("\(now) login failed for from 10.9.9.9 from 192.0.2.67\n".utf8)
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
        try await eventually("the ban ran", timeout: 10) { tree.recorded().contains("ban 192.0.2.66") }
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(try await Self.send(tree, ["get", "app", "banned", "10.9.9.9"]) == .ok(.int(0)))
        daemon.requestStop()
        try await task.value
    }

    /// A migrating administrator's fail2ban.sqlite3 at `dbfile`: moved aside, imported, and its
    /// current bans applied at start. The database is written by fail2ban's own code (Debian's
    /// package, unpacked at test time).
    @Test func fail2banDatabaseIsImportedAtStart() async throws {
        let tree = try Tree()
        defer { tree.directory.remove() }
        let library = try DebianFail2ban.root().appendingPathComponent("usr/lib/python3/dist-packages").path
        let script = """
            import sys, time
            from fail2ban.server.database import Fail2BanDb
            from fail2ban.server.ticket import FailTicket
            class Actions:
                def getBanTime(self): return 3600
            class Jail:
                def __init__(self, name): self.name, self.actions = name, Actions()
            db = Fail2BanDb(sys.argv[1]); app = Jail('app'); db.addJail(app)
            t = FailTicket('192.0.2.99', time.time() - 100, ['login failed for mallory from 192.0.2.99'])
            t.setBanTime(3600); t.setBanCount(1); t.setAttempt(2)
            db.addBan(app, t); db.close()
            """
        let output = try Command.run(["python3", "-c", script, tree.path + "/d.sqlite3"], environment: ["PYTHONPATH": library])
        #expect(output.status == 0, "\(output)")

        let (daemon, task) = try await Self.start(tree)
        try await eventually("the imported ban is applied", timeout: 10) { tree.recorded().contains("ban 192.0.2.99") }
        let log = try String(contentsOfFile: tree.path + "/daemon.log", encoding: .utf8)
        #expect(log.contains("Imported fail2ban's database"))
        #expect(FileManager.default.fileExists(atPath: tree.path + "/d.sqlite3.fail2ban"))
        daemon.requestStop()
        try await task.value
    }

    /// `backend = systemd[journalfiles=…]`: entries of a journal file the test writes (with
    /// systemd-journal-remote) are matched by `journalmatch` and lead to a ban.
    @Test func systemdBackendReadsTheJournal() async throws {
        let tree = try Tree(jailOptions: "")
        defer { tree.directory.remove() }
        let journal = tree.path + "/test.journal"
        try tree.directory.write("etc/filter.d/app.conf", """
            [Definition]
            failregex = ^\\S+ app\\[\\d+\\]: login failed for <F-USER>\\S+</F-USER> from <HOST>$
            journalmatch = _SYSTEMD_UNIT=app.service + SYSLOG_IDENTIFIER=app
            """)
        try tree.directory.write("etc/jail.local", """
            [app]
            backend = systemd[journalfiles=\(journal)]
            """)
        func entry(_ message: String, unit: String) -> JournalFixture.Entry {
            JournalFixture.Entry(realtime: UInt64(Date().timeIntervalSince1970 * 1_000_000), [
                ("_HOSTNAME", "gate"), ("SYSLOG_IDENTIFIER", "app"), ("_PID", "42"), ("_SYSTEMD_UNIT", unit), ("MESSAGE", message),
            ])
        }
        try JournalFixture.write([entry("login failed for a from 192.0.2.1", unit: "other.service")], to: journal)
        let (daemon, task) = try await Self.start(tree)
        try JournalFixture.write([entry("login failed for a from 192.0.2.77", unit: "app.service"),
                                  entry("login failed for a from 192.0.2.77", unit: "app.service")], to: journal)
        try await eventually("the journal entries ban", timeout: 15) { tree.recorded().contains("ban 192.0.2.77 2 a") }
        guard case .ok(let status) = try await Self.send(tree, ["status", "app"]) else { return }
        #expect(Beautifier.format(command: ["status", "app"], response: status).contains("Journal matches:"))
        daemon.requestStop()
        try await task.value
    }

    /// `reload` re-reads the tree: a changed jail restarts with its bans restored, a jail
    /// removed from the tree stops, a new one starts; `reload --unban` lifts every ban first.
    @Test func reloadAppliesTheChangedTree() async throws {
        let tree = try Tree()
        defer { tree.directory.remove() }
        let (daemon, task) = try await Self.start(tree)
        #expect(try await Self.send(tree, ["set", "app", "banip", "192.0.2.200"]) == .ok(.int(1)))
        try tree.directory.write("etc/jail.local", """
            [app]
            maxretry = 7
            [app2]
            enabled = true
            filter = app
            logpath = \(tree.log)
            action = record
            """)
        #expect(try await Self.send(tree, ["reload"]) == .ok(.string("OK")))
        #expect(try await Self.send(tree, ["get", "app", "maxretry"]) == .ok(.int(7)))
        #expect(try await Self.send(tree, ["get", "app", "banned", "192.0.2.200"]) == .ok(.int(1)))
        guard case .ok(let status) = try await Self.send(tree, ["status"]) else { return }
        #expect(Beautifier.format(command: ["status"], response: status).contains("app, app2"))

        #expect(try await Self.send(tree, ["reload", "--unban"]) == .ok(.string("OK")))
        #expect(try await Self.send(tree, ["get", "app", "banned", "192.0.2.200"]) == .ok(.int(0)))
        daemon.requestStop()
        try await task.value
    }

    /// A broken jail is reported with its file and line and the others run; a reload of a tree
    /// that no longer parses changes nothing; a tree that does not parse at start stops the start.
    @Test func brokenConfigurationIsReportedAndLosesNothing() async throws {
        let tree = try Tree()
        defer { tree.directory.remove() }
        try tree.directory.write("etc/jail.local", """
            [bad]
            enabled = true
            filter = nosuchfilter
            logpath = \(tree.log)
            """)
        let (daemon, task) = try await Self.start(tree)
        guard case .ok(let status) = try await Self.send(tree, ["status"]) else { return }
        #expect(Beautifier.format(command: ["status"], response: status).contains("Jail list:\tapp"))
        let log = try String(contentsOfFile: tree.path + "/daemon.log", encoding: .utf8)
        #expect(log.contains("jail.local:3"))
        #expect(log.contains("nosuchfilter"))

        #expect(try await Self.send(tree, ["set", "app", "banip", "192.0.2.9"]) == .ok(.int(1)))
        try tree.directory.write("etc/jail.local", "[app\nmaxretry = 1\n")
        guard case .failure(let message) = try await Self.send(tree, ["reload"]) else {
            Issue.record("a reload of an unreadable tree must fail"); return
        }
        #expect(message.contains("jail.local"))
        #expect(try await Self.send(tree, ["get", "app", "banned", "192.0.2.9"]) == .ok(.int(1)))
        #expect(try await Self.send(tree, ["get", "app", "maxretry"]) == .ok(.int(2)))
        daemon.requestStop()
        try await task.value

        let broken = try Daemon(configuration: ServerConfiguration(configDirectory: tree.path + "/etc", removeStaleSocket: true))
        await #expect(throws: ServerError.self) { try await broken.run() }
        #expect(!FileManager.default.fileExists(atPath: tree.socket))
    }

    /// A firewall command that fails is logged with its command line, exit status and stderr,
    /// tried again, and the ban stays recorded.
    @Test func failingActionIsLoggedRetriedAndTheBanKept() async throws {
        let tree = try Tree()
        defer { tree.directory.remove() }
        try tree.directory.write("etc/action.d/record.local", """
            [Definition]
            actionban = echo try <ip> >> <file>; echo 'table busy' >&2; exit 3
            """)
        let (daemon, task) = try await Self.start(tree)
        #expect(try await Self.send(tree, ["set", "app", "banip", "192.0.2.31"]) == .ok(.int(1)))
        try await eventually("the ban was tried again", timeout: 15) {
            tree.recorded().components(separatedBy: "try 192.0.2.31").count >= 4
        }
        let log = try String(contentsOfFile: tree.path + "/daemon.log", encoding: .utf8)
        #expect(log.contains("exit 3"))
        #expect(log.contains("table busy"))
        #expect(log.contains("returned 3"))
        #expect(try await Self.send(tree, ["get", "app", "banned", "192.0.2.31"]) == .ok(.int(1)))
        daemon.requestStop()
        try await task.value
    }

    /// A banned address that fails again with `bantime.increment` has its ban prolonged, as
    /// fail2ban's `_prolongBan`: the store keeps the new end and `actionprolong` runs with the new
    /// ban time (an action with timeouts, `iptables-ipset`'s, would otherwise let it go early).
    /// A manual `banip` of a banned address prolongs it the same way.
    @Test func aProlongedBanRunsActionprolong() async throws {
        let tree = try Tree(jailOptions: "bantime.increment = true")
        defer { tree.directory.remove() }
        try tree.directory.write("etc/action.d/record.local", """
            [Definition]
            actionprolong = echo prolong <ip> <bantime> >> <file>
            """)
        let (daemon, task) = try await Self.start(tree)
        try tree.append(["login failed for alice from 192.0.2.41", "login failed for alice from 192.0.2.41"])
        try await eventually("the ban ran", timeout: 10) { tree.recorded().contains("ban 192.0.2.41") }
        #expect(!tree.recorded().contains("prolong"))
        // A second later (log times are whole seconds): the new ban would end later than the first.
        try await Task.sleep(for: .milliseconds(1100))
        try tree.append(["login failed for alice from 192.0.2.41", "login failed for alice from 192.0.2.41"])
        try await eventually("the prolonged ban ran actionprolong", timeout: 10) { tree.recorded().contains("prolong 192.0.2.41 ") }
        let prolongedTo = tree.recorded().components(separatedBy: "prolong 192.0.2.41 ").last.flatMap { Double($0.prefix { !$0.isNewline }) }
        #expect((prolongedTo ?? 0) > 3600, "the new ban time goes to the action: \(tree.recorded())")
        #expect(tree.recorded().components(separatedBy: "ban 192.0.2.41").count == 2, "no second actionban")

        #expect(try await Self.send(tree, ["set", "app", "banip", "192.0.2.41"]) == .ok(.int(0)))
        try await eventually("the manual ban prolonged it too", timeout: 10) {
            tree.recorded().components(separatedBy: "prolong 192.0.2.41 ").count == 3
        }
        daemon.requestStop()
        try await task.value
    }

    /// `actionprolong` gets the same care as `actionban`: captured values reach it escaped, and
    /// when it fails its command line, status and error are logged, it is tried again, and the
    /// ban stays.
    @Test func aHostileOrFailingActionprolongIsEscapedLoggedAndRetried() async throws {
        let tree = try Tree(jailOptions: "bantime.increment = true")
        defer { tree.directory.remove() }
        try tree.directory.write("etc/action.d/record.local", """
            [Definition]
            actionprolong = echo prolong <ip> <F-USER> >> <file>; echo 'set busy' >&2; exit 4
            """)
        let (daemon, task) = try await Self.start(tree)
        // The ban carries the captured user names; its prolongation runs with them (the banned
        // ticket is prolonged, as fail2ban's _prolongBan).
        let marker = tree.path + "/pwned"
        let hostile = Self.hostileUserNames(touching: marker)
        try tree.append(hostile.map { "login failed for \($0) from 192.0.2.42" })
        try await eventually("the ban ran", timeout: 10) { tree.recorded().contains("ban 192.0.2.42") }
        try await Task.sleep(for: .milliseconds(1100))
        try tree.append(["login failed for alice from 192.0.2.42", "login failed for alice from 192.0.2.42"])
        try await eventually("actionprolong was tried again", timeout: 15) {
            tree.recorded().components(separatedBy: "prolong 192.0.2.42 ").count >= 3
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
        let prolongLines = tree.recorded().split(separator: "\n").filter { $0.hasPrefix("prolong ") }
        #expect(prolongLines.allSatisfy { line in hostile.contains { line.contains($0) } },
                "the user name reached actionprolong as written: \(tree.recorded())")
        let log = try String(contentsOfFile: tree.path + "/daemon.log", encoding: .utf8)
        #expect(log.contains("exit 4"))
        #expect(log.contains("set busy"))
        #expect(log.contains("returned 4"))
        #expect(try await Self.send(tree, ["get", "app", "banned", "192.0.2.42"]) == .ok(.int(1)))
        daemon.requestStop()
        try await task.value
    }

    /// A burst larger than one read batch goes through the jail's two stages (filter on the
    /// reading task, decisions on the actor, bans stored while the next batch is handled): every
    /// failure counted, every ban's `Ban` line after its `Found` lines and in the order the
    /// actions ran, and a ban prolonged by later failures stored with its new end (it comes back
    /// with it after a restart).
    @Test func aBurstIsFilteredCountedAndBannedInOrder() async throws {
        let tree = try Tree()
        defer { tree.directory.remove() }
        var (daemon, task) = try await Self.start(tree)
        let now = Int(Date().timeIntervalSince1970)
        // 40,000 lines (about 2.2 MB, several batches): every 100th fails for one of 200 addresses.
        var text = ""
        var failures = 0
        for n in 0..<40_000 {
            if n % 100 == 0 {
                text += "\(now - 30) login failed for u\(n) from 10.1.\(n / 100 % 200 / 250).\(n / 100 % 200 + 1)\n"
                failures += 1
            } else {
                text += "\(now - 30) accepted key for user\(n) from 10.2.0.1 port \(n)\n"
            }
        }
        // An address banned 30 s ago that fails twice more now: its ban is prolonged.
        text += "\(now) login failed for late from 10.1.0.1\n\(now) login failed for late from 10.1.0.1\n"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: tree.log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()

        try await eventually("every address banned", timeout: 20) {
            tree.recorded().split(separator: "\n").filter { $0.hasPrefix("ban ") }.count == 200
        }
        try await eventually("the prolonged ban is logged", timeout: 10) {
            ((try? String(contentsOfFile: tree.path + "/daemon.log", encoding: .utf8)) ?? "").contains("Prolong 10.1.0.1 until")
        }
        guard case .ok(let status) = try await Self.send(tree, ["status", "app"]) else { Issue.record("status failed"); return }
        let statusText = Beautifier.format(command: ["status", "app"], response: status)
        #expect(statusText.contains("Total failed:\t\(failures + 2)"))
        #expect(statusText.contains("Total banned:\t200"))

        let log = try String(contentsOfFile: tree.path + "/daemon.log", encoding: .utf8)
        let lines = log.split(separator: "\n")
        let banLines = lines.compactMap { line in line.range(of: "[app] Ban ").map { String(line[$0.upperBound...]) } }
        let actionOrder = tree.recorded().split(separator: "\n").filter { $0.hasPrefix("ban ") }.map { String($0.split(separator: " ")[1]) }
        #expect(banLines == actionOrder)
        for address in banLines.prefix(20) {
            guard let ban = lines.firstIndex(where: { $0.hasSuffix("[app] Ban \(address)") }) else { continue }
            #expect(lines[..<ban].filter { $0.contains("[app] Found \(address) -") }.count >= 2, "\(address)")
        }

        // Stored with its new end: the ban of 30 s ago now ends an hour after the latest failure.
        daemon.requestStop()
        try await task.value
        let query = try Command.run(["python3", "-c", """
            import sqlite3, sys
            print(sqlite3.connect(sys.argv[1]).execute("SELECT end_time FROM current_bans WHERE ip = '10.1.0.1'").fetchone()[0])
            """, tree.path + "/d.sqlite3"])
        let end = Double(query.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(abs(end - Double(now + 3600)) < 2, "\(query)")
    }
}
