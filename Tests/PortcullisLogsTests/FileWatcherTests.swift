#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import PortcullisTestSupport
@testable import PortcullisLogs

/// Lines in, lines out: batches, partial lines, several files, globs, odd bytes, the watcher's
/// bookkeeping — on both backends (polling at 50 ms so the tests stay quick).
@Suite struct FileWatcherTests {
    static let backends: [LogBackend] = [.inotify, .polling]

    @Test(arguments: backends)
    func deliversExistingAndAppendedLinesInOrder(backend: LogBackend) async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/app.log"
        let writer = LogWriter(path)
        writer.lines(0..<10)
        let watcher = try FileWatcher(backend: backend, pollInterval: 0.05)
        defer { watcher.stop() }
        #expect(watcher.backend == backend)
        let collector = EventCollector(watcher.events())
        try watcher.add(path: path, start: .beginning)
        #expect(await collector.wait(lines: 10))
        writer.lines(10..<25)
        #expect(await collector.wait(lines: 25))
        #expect(collector.snapshot.texts() == numbered(0..<25))
        let position = try #require(collector.snapshot.positions[path])
        #expect(position.path == path)
        #expect(position.offset == UInt64(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int))
        // fail2ban's firstlinemd5: md5 of the first line with its newline.
        #expect(position.firstLineHash == MD5.hex(Array("line 0\n".utf8)))
        #expect(await collector.settles(at: 25))
    }

    @Test(arguments: backends)
    func holdsBackAPartialLineUntilCompleted(backend: LogBackend) async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/app.log"
        let writer = LogWriter(path)
        writer.write("first\r\nsec")
        let watcher = try FileWatcher(backend: backend, pollInterval: 0.05)
        defer { watcher.stop() }
        let collector = EventCollector(watcher.events())
        try watcher.add(path: path, start: .beginning)
        #expect(await collector.wait(lines: 1))
        #expect(await collector.settles(at: 1, after: 0.2))
        #expect(collector.snapshot.positions[path]?.offset == 7)   // resume before "sec"
        writer.write("ond\nthird")
        #expect(await collector.wait(lines: 2))
        writer.write("\n")
        #expect(await collector.wait(lines: 3))
        #expect(collector.snapshot.texts() == ["first", "second", "third"])
    }

    @Test func severalFilesKeepTheirOwnLines() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let paths = (0..<3).map { dir.path + "/f\($0).log" }
        let writers = paths.map { LogWriter($0) }
        let watcher = try FileWatcher(backend: .inotify)
        defer { watcher.stop() }
        let collector = EventCollector(watcher.events())
        for path in paths { try watcher.add(path: path, start: .beginning) }
        #expect(watcher.paths == paths)
        for round in 0..<20 {
            for (i, writer) in writers.enumerated() { writer.write("f\(i) \(round)\n") }
        }
        #expect(await collector.wait(lines: 60))
        for (i, path) in paths.enumerated() {
            #expect(collector.snapshot.texts(path) == numbered(0..<20, prefix: "f\(i) "))
        }
    }

    @Test func globIsExpandedWhenAdded() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        for name in ["a.log", "b.log", "c.txt"] { try dir.write(name, "\(name) 1\n") }
        try FileManager.default.createDirectory(atPath: dir.path + "/d.log", withIntermediateDirectories: true)
        let watcher = try FileWatcher(backend: .inotify)
        defer { watcher.stop() }
        let collector = EventCollector(watcher.events())
        let added = try watcher.add(glob: dir.path + "/*.log", start: .beginning)
        #expect(added == [dir.path + "/a.log", dir.path + "/b.log"])
        #expect(watcher.paths == added)
        #expect(await collector.wait(lines: 2))
        #expect(Set(collector.snapshot.texts()) == ["a.log 1", "b.log 1"])
        // fail2ban expands once: a file created later is not picked up.
        try dir.write("e.log", "e.log 1\n")
        #expect(await collector.settles(at: 2, after: 0.2))
        #expect(try watcher.add(glob: dir.path + "/*.none", start: .beginning) == [])
    }

    @Test(arguments: backends)
    func missingFileIsReadFromItsBeginningWhenItAppears(backend: LogBackend) async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/later.log"
        let watcher = try FileWatcher(backend: backend, pollInterval: 0.05)
        defer { watcher.stop() }
        let collector = EventCollector(watcher.events())
        try watcher.add(path: path, start: .end)
        #expect(await collector.wait { $0.missing == [path] })
        let writer = LogWriter(path)
        writer.lines(0..<5)
        #expect(await collector.wait(lines: 5))
        writer.lines(5..<8)
        #expect(await collector.wait(lines: 8))
        #expect(collector.snapshot.texts() == numbered(0..<8))
        #expect(collector.snapshot.missing == [path])
    }

    @Test func missingFolderIsWaitedForToo() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/sub/deeper/app.log"
        let watcher = try FileWatcher(backend: .inotify, pollInterval: 0.05)
        defer { watcher.stop() }
        let collector = EventCollector(watcher.events())
        try watcher.add(path: path, start: .beginning)
        #expect(await collector.wait { $0.missing == [path] })
        try dir.write("sub/deeper/app.log", "hello\n")
        #expect(await collector.wait(lines: 1))
        // Once there, the folder is watched: later lines come by inotify.
        LogWriter(path).write("again\n")
        #expect(await collector.wait(lines: 2))
        #expect(collector.snapshot.texts() == ["hello", "again"])
    }

    @Test func veryLongLineAndBinaryBytesArriveIntact() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/bin.log"
        let writer = LogWriter(path)
        let watcher = try FileWatcher(backend: .inotify)
        defer { watcher.stop() }
        let collector = EventCollector(watcher.events(), keepRawLines: true)
        try watcher.add(path: path, start: .beginning)
        var long = Array(String(repeating: "abcdefghijklmnopqrstuvwxyz", count: 5 << 15).utf8)
        // Written in pieces, so the watcher sees the line grow before its newline arrives.
        for start in stride(from: 0, to: long.count, by: 1 << 20) {
            var piece = Array(long[start..<min(start + (1 << 20), long.count)])
            writer.write(bytes: &piece)
        }
        writer.write("\n")
        var binary = (0...255).map { UInt8($0) }.filter { $0 != 0x0a }
        binary.append(0x0a)
        writer.write(bytes: &binary)
        writer.write("tail\n")
        #expect(await collector.wait(lines: 3, 10))
        let raw = collector.snapshot.rawLines
        #expect(raw.count == 3)
        #expect(raw.first == long)
        #expect(raw.dropFirst().first == Array(binary.dropLast()))   // \r (0x0d) mid-line is kept
        #expect(raw.last == Array("tail".utf8))
        long.removeAll()
    }

    @Test func removedPathsGoQuiet() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let a = dir.path + "/a.log", b = dir.path + "/b.log"
        let wa = LogWriter(a), wb = LogWriter(b)
        let watcher = try FileWatcher(backend: .inotify)
        defer { watcher.stop() }
        let collector = EventCollector(watcher.events())
        try watcher.add(path: a, start: .beginning)
        try watcher.add(path: b, start: .beginning)
        try watcher.add(path: a, start: .beginning)   // already watched: nothing changes
        #expect(watcher.paths == [a, b])
        wa.write("a1\n")
        wb.write("b1\n")
        #expect(await collector.wait(lines: 2))
        watcher.remove(path: a)
        #expect(watcher.paths == [b])
        wa.write("a2\n")
        wb.write("b2\n")
        #expect(await collector.wait(lines: 3))
        #expect(await collector.settles(at: 3, after: 0.2))
        #expect(collector.snapshot.texts(a) == ["a1"])
    }

    @Test func stopEndsTheStream() async throws {
        let watcher = try FileWatcher(backend: .auto)
        #expect(watcher.backend == .inotify)
        let collector = EventCollector(watcher.events())
        watcher.stop()
        #expect(await collector.wait { $0.finished })
    }

    @Test func aFolderIsNotALog() throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let watcher = try FileWatcher(backend: .polling)
        defer { watcher.stop() }
        #expect(throws: LogSourceError.notARegularFile(path: dir.path)) {
            try watcher.add(path: dir.path, start: .beginning)
        }
        #expect(watcher.paths.isEmpty)
    }
}
