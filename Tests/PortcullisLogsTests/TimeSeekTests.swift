#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import PortcullisTestSupport
@testable import PortcullisLogs

/// The binary search itself, on files of every awkward shape.
@Suite struct TimeSeekTests {
    static func offset(_ text: String, time: Double, from: UInt64 = 0) throws -> UInt64 {
        let dir = try TemporaryDirectory(prefix: "seek")
        defer { dir.remove() }
        let path = try dir.write("f.log", text).path
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        return TimeSeek.offset(fd: fd, size: UInt64(text.utf8.count), from: from, time: time,
                               dateOfLine: LogStartTests.dateOfLine)
    }

    @Test func emptyAndUndatedFiles() throws {
        #expect(try Self.offset("", time: 5) == 0)
        // fail2ban's seekToTime keeps its lower bound when it finds no date: read from the start.
        #expect(try Self.offset("no dates\nat all\n", time: 5) == 0)
        #expect(try Self.offset("T=1\nundated\nT=9\n", time: 5) == 4)
    }

    @Test func allOlderAllNewerAndInBetween() throws {
        let text = (0..<10).map { "T=\($0 * 10)\n" }.joined()   // T=0 … T=90
        #expect(try Self.offset(text, time: 1000) == UInt64(text.utf8.count))
        #expect(try Self.offset(text, time: -1) == 0)
        #expect(try Self.offset(text, time: 0) == 0)
        #expect(try Self.offset(text, time: 35) == UInt64("T=0\nT=10\nT=20\nT=30\n".utf8.count))
        #expect(try Self.offset(text, time: 40) == UInt64("T=0\nT=10\nT=20\nT=30\n".utf8.count))
    }

    @Test func aTrailingPartialLineIsNotSkipped() throws {
        #expect(try Self.offset("T=1\nT=2\nT=9 not finis", time: 5) == 8)
    }

    @Test func fromIsALowerBound() throws {
        let text = (0..<10).map { "T=\($0 * 10)\n" }.joined()
        #expect(try Self.offset(text, time: 0, from: 9) == 9)
        // `from` in the middle of a line moves on to the next line start.
        #expect(try Self.offset(text, time: 0, from: 6) == 9)
    }

    @Test func largeFilesWithLongUndatedStretches() throws {
        var text = ""
        var expected: UInt64 = 0
        for i in 0..<30_000 {
            if i == 21_000 { expected = UInt64(text.utf8.count) }
            text += "T=\(i) x\n"
            if i % 1000 == 0 { text += String(repeating: "undated filler line\n", count: 200) }
        }
        #expect(try Self.offset(text, time: 21_000) == expected)
    }
}
