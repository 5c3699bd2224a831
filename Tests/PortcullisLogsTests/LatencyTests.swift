#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import PortcullisTestSupport
@testable import PortcullisLogs

/// The daemon's budget: a line is seen within milliseconds of being written, and 100k lines
/// are delivered in well under 0.2 s.
@Suite(.serialized) struct LatencyTests {
    @Test func aSingleAppendedLineArrivesWithinMilliseconds() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/app.log"
        let writer = LogWriter(path)
        writer.lines(0..<3)
        let watcher = try FileWatcher(backend: .inotify)
        defer { watcher.stop() }
        let collector = EventCollector(watcher.events())
        try watcher.add(path: path, start: .end)
        _ = await collector.settles(at: 0, after: 0.05)
        var worst = 0.0
        for i in 0..<10 {
            let written = IO.monotonicNow()
            writer.write("probe \(i)\n")
            #expect(await collector.wait(lines: i + 1, 2))
            worst = max(worst, (collector.snapshot.lines.last?.arrived ?? .infinity) - written)
        }
        print("LOGS-LATENCY worst of 10 single-line appends: \(Int(worst * 1e6)) µs")
        #expect(worst < 0.2)
        #expect(collector.snapshot.texts() == numbered(0..<10, prefix: "probe "))
    }

    @Test func hundredThousandAppendedLinesInWellUnderTwoTenthsOfASecond() async throws {
        let dir = try TemporaryDirectory(prefix: "logs")
        defer { dir.remove() }
        let path = dir.path + "/auth.log"
        let writer = LogWriter(path)
        let total = 100_000
        var text = ""
        text.reserveCapacity(total * 100)
        for i in 0..<total {
            text += "Nov 21 08:29:36 host sshd[\(1000 + i % 5000)]: Failed password for invalid user u\(i) from 192.0.2.\(i % 250) port 22 ssh2\n"
        }
        var bytes = Array(text.utf8)
        let watcher = try FileWatcher(backend: .inotify)
        defer { watcher.stop() }
        try watcher.add(path: path, start: .end)
        let events = watcher.events()
        let written = IO.monotonicNow()
        // Written as a daemon would, in many appends (1000 lines each).
        var chunkStart = 0
        let lineLength = bytes.count / total
        _ = lineLength
        var lineEnds = [Int]()
        bytes.withUnsafeBufferPointer { lineEnds = LineScanner.lineRanges($0, end: $0.count).map { $0.upperBound + 1 } }
        for k in stride(from: 999, to: total, by: 1000) {
            var piece = Array(bytes[chunkStart..<lineEnds[k]])
            writer.write(bytes: &piece)
            chunkStart = lineEnds[k]
        }
        var seen = 0
        var batches = 0
        for await event in events {
            if case .lines(let batch) = event {
                seen += batch.count
                batches += 1
            }
            if seen >= total { break }
        }
        let elapsed = IO.monotonicNow() - written
        print("LOGS-THROUGHPUT \(total) lines (\(bytes.count) bytes) in \(Int(elapsed * 1000)) ms, \(batches) batches")
        #expect(seen == total)
        #expect(elapsed < 0.2)
        bytes.removeAll()
    }
}
