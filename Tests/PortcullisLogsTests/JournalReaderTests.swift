import Foundation
import Testing
import PortcullisTestSupport
@testable import PortcullisLogs

/// The journal backend on journal files the tests make themselves with
/// systemd-journal-remote (no journald runs here). sd-journal needs nothing unusual for them:
/// `sd_journal_open_files`/`_directory` with flags 0 read them, and appends by another
/// journal-remote run are noticed.
@Suite(.enabled(if: JournalFixture.isAvailable, "needs systemd-journal-remote"))
struct JournalReaderTests {
    static let base: UInt64 = 1_700_000_000_000_000   // 2023-11-14T22:13:20Z, in µs

    static func sshd(_ second: UInt64, _ message: String, pid: String = "123") -> JournalFixture.Entry {
        JournalFixture.Entry(realtime: base + second * 1_000_000, [
            ("_HOSTNAME", "web1"), ("SYSLOG_IDENTIFIER", "sshd"), ("_PID", pid), ("_COMM", "sshd"),
            ("_SYSTEMD_UNIT", "ssh.service"), ("MESSAGE", message),
        ])
    }

    /// A mixed journal: sshd (by unit or by command), cron, the kernel, odd messages.
    static func makeJournal(_ dir: TemporaryDirectory) throws -> String {
        let path = dir.path + "/remote.journal"
        try JournalFixture.write([
            sshd(0, "Failed password for root from 192.0.2.1 port 22 ssh2"),
            JournalFixture.Entry(realtime: base + 10_000_000, [
                ("_HOSTNAME", "web1"), ("SYSLOG_IDENTIFIER", "sshd"), ("SYSLOG_PID", "77"), ("_PID", "123"),
                ("_SYSTEMD_UNIT", "sshd.service"), ("MESSAGE", "Invalid user admin from 192.0.2.2"),
            ]),
            JournalFixture.Entry(realtime: base + 20_000_000, [
                ("_HOSTNAME", "web1"), ("_COMM", "cron"), ("_PID", "9"), ("_SYSTEMD_UNIT", "cron.service"),
                ("MESSAGE", "job ran"),
            ]),
            JournalFixture.Entry(realtime: base + 30_000_000, [
                ("_HOSTNAME", "web1"), ("SYSLOG_IDENTIFIER", "kernel"), ("_SOURCE_MONOTONIC_TIMESTAMP", "1234567"),
                ("MESSAGE", "IN=eth0 SRC=192.0.2.3"),
            ]),
            JournalFixture.Entry(realtime: base + 40_000_000, [
                ("SYSLOG_IDENTIFIER", "sshd"), ("_COMM", "sshd"), ("_PID", "5"), ("_SYSTEMD_UNIT", "sshd.service"),
                ("_SOURCE_REALTIME_TIMESTAMP", String(base + 39_500_000)),
                ("MESSAGE", "first line\nsecond line"),
            ]),
            JournalFixture.Entry(realtime: base + 50_000_000, [
                ("_HOSTNAME", "web2"), ("_COMM", "sshd"), ("_SYSTEMD_UNIT", "sshd.service"),
                ("MESSAGE", "part one"), ("MESSAGE", "part two"),
            ]),
        ], to: path)
        return path
    }

    @Test func formatsEntriesLikeFail2ban() throws {
        let dir = try TemporaryDirectory(prefix: "journal")
        defer { dir.remove() }
        let reader = try JournalReader(matches: [], journalFiles: [try Self.makeJournal(dir)])
        defer { reader.stop() }
        let entries = try reader.read()
        #expect(entries.map(\.line) == [
            "web1 sshd[123]: Failed password for root from 192.0.2.1 port 22 ssh2",
            "web1 sshd[77]: Invalid user admin from 192.0.2.2",
            "web1 cron[9]: job ran",
            "web1 kernel: [    1.234567] IN=eth0 SRC=192.0.2.3",
            "sshd[5]: first line\\nsecond line",
            "web2 sshd: part one part two",
        ])
        #expect(entries.map(\.time) == [0, 10, 20, 30, 39.5, 50].map { Double(Self.base) / 1e6 + $0 })
        #expect(Set(entries.map(\.cursor)).count == 6)
        #expect(try reader.read().isEmpty)
    }

    @Test func matchGroupsAreOredAndTheirTermsAnded() throws {
        let dir = try TemporaryDirectory(prefix: "journal")
        defer { dir.remove() }
        let path = try Self.makeJournal(dir)
        let either = JournalReader.parseJournalMatch("_SYSTEMD_UNIT=sshd.service + _COMM=sshd")
        #expect(either == [["_SYSTEMD_UNIT=sshd.service"], ["_COMM=sshd"]])
        let reader = try JournalReader(matches: either, journalFiles: [path])
        defer { reader.stop() }
        // The ssh.service entry has _COMM=sshd; the SYSLOG_PID one only the unit.
        #expect(try reader.read().map(\.time).map { $0 - Double(Self.base) / 1e6 } == [0, 10, 39.5, 50])

        let both = try JournalReader(matches: [["_SYSTEMD_UNIT=sshd.service", "_HOSTNAME=web1"]], journalFiles: [path])
        defer { both.stop() }
        #expect(try both.read().map(\.line) == ["web1 sshd[77]: Invalid user admin from 192.0.2.2"])
    }

    @Test func parsesJournalmatchLikeFail2ban() {
        #expect(JournalReader.parseJournalMatch("") == [])
        #expect(JournalReader.parseJournalMatch("_SYSTEMD_UNIT=sshd.service") == [["_SYSTEMD_UNIT=sshd.service"]])
        #expect(JournalReader.parseJournalMatch("""
            _SYSTEMD_UNIT=a.service _COMM=a + _COMM=b
            'MESSAGE=two words' +
            "SYSLOG_IDENTIFIER=x\\"y"
            """) == [["_SYSTEMD_UNIT=a.service", "_COMM=a"], ["_COMM=b"], ["MESSAGE=two words"], ["SYSLOG_IDENTIFIER=x\"y"]])
    }

    @Test func rejectsTermsThatAreNotFieldEqualsValue() throws {
        let dir = try TemporaryDirectory(prefix: "journal")
        defer { dir.remove() }
        let path = try Self.makeJournal(dir)
        #expect(throws: LogSourceError.invalidJournalMatch(term: "sshd")) {
            try JournalReader(matches: [["sshd"]], journalFiles: [path])
        }
        #expect(throws: LogSourceError.invalidJournalMatch(term: "_comm=sshd")) {
            try JournalReader(matches: [["_comm=sshd"]], journalFiles: [path])
        }
    }

    @Test func seeksByTimeAndCursor() throws {
        let dir = try TemporaryDirectory(prefix: "journal")
        defer { dir.remove() }
        let path = try Self.makeJournal(dir)
        let reader = try JournalReader(matches: [], journalFiles: [path])
        defer { reader.stop() }
        let all = try reader.read()
        let start = Double(Self.base) / 1e6

        try reader.seek(time: start + 15)
        #expect(try reader.read().map(\.cursor) == all[2...].map(\.cursor))
        try reader.seek(time: start + 20)
        #expect(try reader.read().first?.cursor == all[2].cursor)
        try reader.seek(time: start - 1000)
        #expect(try reader.read().count == 6)
        try reader.seek(time: start + 1000)
        #expect(try reader.read().isEmpty)

        try reader.seek(cursor: all[1].cursor)
        #expect(try reader.read().map(\.cursor) == all[2...].map(\.cursor))
        try reader.seekHead()
        #expect(try reader.read(limit: 2).map(\.cursor) == all[..<2].map(\.cursor))
        try reader.seekTail()
        #expect(try reader.read().isEmpty)

        // A fresh reader resumes after a persisted cursor.
        let resumed = try JournalReader(matches: [], journalFiles: [path])
        defer { resumed.stop() }
        try resumed.seek(cursor: all[4].cursor)
        #expect(try resumed.read().map(\.cursor) == [all[5].cursor])
        #expect(throws: LogSourceError.self) { try resumed.seek(cursor: "not a cursor") }
    }

    @Test func opensAFolderOrGlobbedFilesAndSaysWhatIsMissing() throws {
        let dir = try TemporaryDirectory(prefix: "journal")
        defer { dir.remove() }
        _ = try Self.makeJournal(dir)
        let folder = try JournalReader(matches: [["_COMM=cron"]], journalPath: dir.path)
        defer { folder.stop() }
        #expect(try folder.read().map(\.line) == ["web1 cron[9]: job ran"])
        let globbed = try JournalReader(matches: [["_COMM=cron"]], journalFiles: [dir.path + "/*.journal"])
        defer { globbed.stop() }
        #expect(try globbed.read().count == 1)
        #expect(throws: LogSourceError.self) {
            try JournalReader(matches: [], journalFiles: [dir.path + "/none-*.journal"])
        }
        #expect(throws: LogSourceError.self) {
            try JournalReader(matches: [], journalPath: dir.path + "/no-such-folder")
        }
    }

    @Test func deliversAppendedEntriesAsTheyArrive() async throws {
        let dir = try TemporaryDirectory(prefix: "journal")
        defer { dir.remove() }
        let path = try Self.makeJournal(dir)
        let reader = try JournalReader(matches: [["_COMM=sshd"]], journalFiles: [path])
        defer { reader.stop() }
        // fail2ban's start: now − findtime (here: 35 s into the fixture).
        try reader.seek(time: Double(Self.base) / 1e6 + 35)
        var iterator = reader.events(pollInterval: 0.1).makeAsyncIterator()
        guard case .entries(let initial)? = await iterator.next() else { Issue.record("no entries"); return }
        #expect(initial.map(\.line) == ["sshd[5]: first line\\nsecond line", "web2 sshd: part one part two"])

        try JournalFixture.write([Self.sshd(60, "appended one"), Self.sshd(61, "appended two")], to: path)
        var appended = [String]()
        while appended.count < 2, let event = await iterator.next() {
            if case .entries(let entries) = event { appended += entries.map(\.line) }
        }
        #expect(appended == ["web1 sshd[123]: appended one", "web1 sshd[123]: appended two"])
        reader.stop()
        #expect(await iterator.next() == nil)
    }

    @Test func pidsReadAsIntegersWhenTheyAreIntegers() {
        #expect(JournalLineFormat.normalizedPID("123") == "123")
        #expect(JournalLineFormat.normalizedPID(" 0042 ") == "42")
        #expect(JournalLineFormat.normalizedPID("1_000") == "1000")
        #expect(JournalLineFormat.normalizedPID("abc") == "abc")
        #expect(JournalLineFormat.kernelSeconds(1_234_567) == "    1.234567")
        #expect(JournalLineFormat.kernelSeconds(98_765_432_100_000) == "98765432.100000")
    }
}

extension JournalReaderTests {
    /// Seeking onto the very first entry, by time or by a cursor, must not skip it.
    @Test func seekingToTheFirstEntryKeepsIt() throws {
        let dir = try TemporaryDirectory(prefix: "journal")
        defer { dir.remove() }
        let path = try Self.makeJournal(dir)
        let reader = try JournalReader(matches: [["_SYSTEMD_UNIT=sshd.service"]], journalFiles: [path])
        defer { reader.stop() }
        let all = try reader.read()
        #expect(all.count == 3)
        try reader.seek(time: Double(Self.base) / 1e6 + 10)
        #expect(try reader.read().map(\.cursor) == all.map(\.cursor))
        try reader.seek(time: Double(Self.base) / 1e6 + 5)
        #expect(try reader.read().map(\.cursor) == all.map(\.cursor))
    }
}
