#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import PortcullisTestSupport
@testable import PortcullisLogs

/// Rotation while a writer task keeps writing: every line exactly once, in order.
///
/// The writer rotates only once everything written so far has been delivered — one rotation at
/// a time, as logrotate does (two renames before the watcher looks would leave a middle file
/// no watcher could know of). Everything else — rotating, late writes to the old descriptor,
/// creating the new file, writing to it — races the watcher.
@Suite struct RotationTests {
    static let backends: [LogBackend] = [.inotify, .polling]

    @Test(arguments: backends)
    func renameAndCreate(backend: LogBackend) async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/app.log"
        let writer = LogWriter(path)
        writer.lines(0..<100)
        let watcher = try FileWatcher(backend: backend, pollInterval: 0.05)
        defer { watcher.stop() }
        let collector = EventCollector(watcher.events())
        try watcher.add(path: path, start: .beginning)
        let end = await Task.detached {
            var next = 100
            for round in 0..<5 {
                _ = await collector.wait(lines: next)
                writer.rename(to: path + ".\(round)")
                writer.lines(next..<next + 50)          // the daemon has not reopened yet
                next += 50
                writer.reopen()                         // creates the new file
                writer.lines(next..<next + 150)
                next += 150
            }
            return next
        }.value
        #expect(await collector.wait(lines: end, 10))
        #expect(collector.snapshot.texts() == numbered(0..<end))
        #expect(await collector.settles(at: end))
        let rotations = collector.snapshot.rotations
        #expect(rotations.count == 5)
        #expect(rotations.allSatisfy { $0.path == path && $0.how == "moved away and re-created" })
        #expect(collector.snapshot.missing.isEmpty)   // a rotation in progress is no warning
    }

    @Test(arguments: backends)
    func deleteAndRecreate(backend: LogBackend) async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/app.log"
        let writer = LogWriter(path)
        writer.lines(0..<100)
        let watcher = try FileWatcher(backend: backend, pollInterval: 0.05)
        defer { watcher.stop() }
        let collector = EventCollector(watcher.events())
        try watcher.add(path: path, start: .beginning)
        let end = await Task.detached {
            var next = 100
            for _ in 0..<5 {
                _ = await collector.wait(lines: next)
                writer.unlinkFile()
                writer.lines(next..<next + 20)          // still writing to the deleted file
                next += 20
                writer.reopen()
                writer.lines(next..<next + 100)
                next += 100
            }
            return next
        }.value
        #expect(await collector.wait(lines: end, 10))
        #expect(collector.snapshot.texts() == numbered(0..<end))
        #expect(await collector.settles(at: end))
        #expect(collector.snapshot.rotations.map(\.how) == Array(repeating: "deleted and re-created", count: 5))
        #expect(collector.snapshot.missing.isEmpty)
    }

    @Test(arguments: backends)
    func copyTruncate(backend: LogBackend) async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/app.log"
        let writer = LogWriter(path)
        writer.lines(0..<100)
        let watcher = try FileWatcher(backend: backend, pollInterval: 0.05)
        defer { watcher.stop() }
        let collector = EventCollector(watcher.events())
        try watcher.add(path: path, start: .beginning)
        let end = await Task.detached {
            var next = 100
            for round in 0..<5 {
                // copytruncate loses what is written between the copy and the truncation for
                // any reader; the writer waits so the test sees only the watcher's doing.
                _ = await collector.wait(lines: next)
                writer.copyTruncate(to: path + ".\(round)")
                // Alternately fewer and more bytes than before the truncation.
                let count = round % 2 == 0 ? 30 : 300
                writer.lines(next..<next + count)
                next += count
            }
            return next
        }.value
        #expect(await collector.wait(lines: end, 10))
        #expect(collector.snapshot.texts() == numbered(0..<end))
        #expect(await collector.settles(at: end))
        #expect(collector.snapshot.rotations.count == 5)
    }

    /// Truncated and written past our old offset before the watcher looks (a slow poll): only
    /// the first line tells, as with fail2ban's firstlinemd5.
    @Test func truncatedAndRegrownPastTheOffsetIsNoticedByItsFirstLine() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/app.log"
        let writer = LogWriter(path)
        writer.lines(0..<10)
        let watcher = try FileWatcher(backend: .polling, pollInterval: 0.5)
        defer { watcher.stop() }
        let collector = EventCollector(watcher.events())
        try watcher.add(path: path, start: .beginning)
        #expect(await collector.wait(lines: 10))
        writer.copyTruncate(to: path + ".1")
        writer.lines(10..<40)
        #expect(await collector.wait(lines: 40))
        #expect(collector.snapshot.texts() == numbered(0..<40))
        #expect(collector.snapshot.rotations.map(\.how) == ["rewritten"])
    }

    /// A partial last line of the old file is delivered when the file rotates.
    @Test func partialLastLineIsDeliveredOnRotation() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/app.log"
        let writer = LogWriter(path)
        writer.write("whole\nhalf")
        let watcher = try FileWatcher(backend: .inotify)
        defer { watcher.stop() }
        let collector = EventCollector(watcher.events())
        try watcher.add(path: path, start: .beginning)
        #expect(await collector.wait(lines: 1))
        writer.rename(to: path + ".1")
        writer.reopen()
        writer.write("new\n")
        #expect(await collector.wait(lines: 3))
        #expect(collector.snapshot.texts() == ["whole", "half", "new"])
    }

    /// A file renamed away and not replaced: lines still written to it are read, a missing
    /// event is reported once, and the successor is read from its start.
    @Test func renamedAwayWithoutSuccessorKeepsBeingRead() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/app.log"
        let writer = LogWriter(path)
        writer.lines(0..<3)
        let watcher = try FileWatcher(backend: .inotify, pollInterval: 0.2)
        defer { watcher.stop() }
        let collector = EventCollector(watcher.events())
        try watcher.add(path: path, start: .beginning)
        #expect(await collector.wait(lines: 3))
        writer.rename(to: path + ".old")
        #expect(await collector.wait { $0.missing == [path] })
        writer.lines(3..<6)
        #expect(await collector.wait(lines: 6))
        writer.reopen()
        writer.lines(6..<8)
        #expect(await collector.wait(lines: 8))
        #expect(collector.snapshot.texts() == numbered(0..<8))
        #expect(collector.snapshot.missing == [path])
    }
}
