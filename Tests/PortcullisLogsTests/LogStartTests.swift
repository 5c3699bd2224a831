#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import PortcullisTestSupport
@testable import PortcullisLogs

/// Where reading starts: tail, a stored position (resumed only when the first line still
/// matches), and fail2ban's seek to `now - findtime` by line dates.
@Suite struct LogStartTests {
    /// Collects the first `count` lines of `path` read from `start`, and checks nothing follows.
    static func read(_ path: String, from start: LogStart, expecting count: Int,
                     after append: ((LogWriter) -> Void)? = nil) async throws -> EventCollector.State {
        let watcher = try FileWatcher(backend: .inotify)
        defer { watcher.stop() }
        let collector = EventCollector(watcher.events())
        try watcher.add(path: path, start: start)
        if let append {
            // Let the first read happen, so appended lines are new lines.
            _ = await collector.settles(at: 0, after: 0.1)
            append(LogWriter(path))
        }
        _ = await collector.wait(lines: count)
        _ = await collector.settles(at: count, after: 0.15)
        return collector.snapshot
    }

    @Test func endSkipsWhatIsThereButReadsAPendingLineWhole() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = try dir.write("app.log", "old 1\nold 2\nbeing writ").path
        let state = try await Self.read(path, from: .end, expecting: 2) { $0.write("ten\nnew\n") }
        #expect(state.texts() == ["being written", "new"])
    }

    @Test func endOfAnEmptyFileOrOneWithoutNewline() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let empty = try dir.write("empty.log", "").path
        #expect(try await Self.read(empty, from: .end, expecting: 1) { $0.write("a\n") }.texts() == ["a"])
        let partial = try dir.write("partial.log", "no newline yet").path
        #expect(try await Self.read(partial, from: .end, expecting: 1) { $0.write("!\n") }.texts() == ["no newline yet!"])
    }

    @Test func storedPositionResumesWhenTheFirstLineMatches() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/app.log"
        LogWriter(path).lines(0..<5)
        let first = try await Self.read(path, from: .beginning, expecting: 5)
        let stored = try #require(first.positions[path])
        #expect(stored.offset == 35)
        // The daemon persists `stored` (a Codable value) and restarts later.
        let persisted = try JSONDecoder().decode(LogPosition.self, from: JSONEncoder().encode(stored))
        LogWriter(path).lines(5..<8)
        let resumed = try await Self.read(path, from: .stored(persisted), expecting: 3)
        #expect(resumed.texts() == numbered(5..<8))
    }

    @Test func storedPositionOfAReplacedFileRestartsFromTheBeginning() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/app.log"
        LogWriter(path).lines(0..<5)
        let stored = try #require(try await Self.read(path, from: .beginning, expecting: 5).positions[path])
        // Rotated while we were down: another first line.
        LogWriter(path, truncate: true).lines(100..<106)
        #expect(try await Self.read(path, from: .stored(stored), expecting: 6).texts() == numbered(100..<106))
        // A file shorter than the stored offset does not match either, same first line or not.
        LogWriter(path, truncate: true).lines(100..<101)
        #expect(try await Self.read(path, from: .stored(stored), expecting: 1).texts() == ["line 100"])
    }

    @Test func resumeFallsBackToItsAlternative() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/app.log"
        LogWriter(path).lines(0..<5)
        let stale = LogPosition(path: path, firstLineHash: "0123456789abcdef0123456789abcdef", offset: 7)
        let state = try await Self.read(path, from: .resume(stale, otherwise: .end), expecting: 1) { $0.write("fresh\n") }
        #expect(state.texts() == ["fresh"])
        let good = LogPosition(path: path, firstLineHash: MD5.hex(Array("line 0\n".utf8)), offset: 14)
        let resumed = try await Self.read(path, from: .resume(good, otherwise: .end), expecting: 4)
        #expect(resumed.texts() == numbered(2..<5) + ["fresh"])
    }

    /// "T=<seconds> …" lines, with an undated continuation line after every tenth.
    static func datedLog(_ dir: TemporaryDirectory, count: Int, base: Int) throws -> String {
        var text = ""
        for i in 0..<count {
            text += "T=\(base + i) event \(i)\n"
            if i % 10 == 0 { text += "   continuation of \(i)\n" }
        }
        return try dir.write("dated.log", text).path
    }

    static let dateOfLine: @Sendable (UnsafeBufferPointer<UInt8>) -> Double? = { line in
        guard line.count > 2, line[0] == UInt8(ascii: "T"), line[1] == UInt8(ascii: "=") else { return nil }
        var value = 0
        for byte in line[2...] {
            guard byte >= 0x30 && byte <= 0x39 else { break }
            value = value * 10 + Int(byte - 0x30)
        }
        return Double(value)
    }

    @Test func timeSeeksToTheFirstLineAtOrAfterTheTime() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let base = 1_700_000_000
        let path = try Self.datedLog(dir, count: 20_000, base: base)
        let state = try await Self.read(path, from: .time(Double(base + 12_345), dateOfLine: Self.dateOfLine),
                                        expecting: 7655 + 765)
        #expect(state.texts().first == "T=\(base + 12_345) event 12345")
        #expect(state.texts().last == "T=\(base + 19_999) event 19999")
        #expect(state.texts().count == 7655 + 765)
    }

    @Test func resumeThenTimeNeverGoesBackBeforeTheStoredOffset() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let base = 1_700_000_000
        let path = try Self.datedLog(dir, count: 2000, base: base)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let hash = MD5.hex(Array("T=\(base) event 0\n".utf8))
        let offsetOf1500 = UInt64(text.range(of: "T=\(base + 1500) ")!.lowerBound.utf16Offset(in: text))
        let stored = LogPosition(path: path, firstLineHash: hash, offset: offsetOf1500)
        // The time is older than the stored position: the stored position wins.
        let older = try await Self.read(path, from: .resume(stored, otherwise: .time(Double(base + 100), dateOfLine: Self.dateOfLine)),
                                        expecting: 500 + 50)
        #expect(older.texts().first == "T=\(base + 1500) event 1500")
        // The time is newer: seek on from the stored position.
        let newer = try await Self.read(path, from: .resume(stored, otherwise: .time(Double(base + 1900), dateOfLine: Self.dateOfLine)),
                                        expecting: 100 + 10)
        #expect(newer.texts().first == "T=\(base + 1900) event 1900")
    }
}
