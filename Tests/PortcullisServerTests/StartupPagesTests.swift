import Foundation
@testable import PortcullisSystem
import PortcullisTestSupport
import Testing

/// The start-up's code pages are given back without losing anything: only clean, private,
/// read-only mappings of files are unmapped, only the file's own pages of written mappings go to
/// reclaim, and the process runs on.
@Suite struct StartupPagesTests {
    static let smaps = """
        55d0c8a00000-55d0c8c00000 r-xp 00200000 fe:01 1234                       /usr/sbin/portcullis
        Size:               2048 kB
        Rss:                 640 kB
        Anonymous:             0 kB
        VmFlags: rd ex mr mw me dw
        55d0c8c00000-55d0c8c10000 r--p 00400000 fe:01 1234                       /usr/sbin/portcullis
        Rss:                  64 kB
        Anonymous:            60 kB
        55d0c8c10000-55d0c8c20000 rw-p 00410000 fe:01 1234                       /usr/sbin/portcullis
        Rss:                  32 kB
        Anonymous:             0 kB
        55d0c9000000-55d0c9100000 rw-p 00000000 00:00 0                          [heap]
        Rss:                 900 kB
        Anonymous:           900 kB
        7f0000000000-7f0000100000 rw-p 00000000 00:00 0
        Rss:                 128 kB
        Anonymous:           128 kB
        7f0000200000-7f0000210000 r--s 00000000 fe:01 99                         /var/lib/portcullis/db.sqlite3-shm
        Rss:                  16 kB
        Anonymous:             0 kB
        7f0000300000-7f0000310000 r--p 00000000 fe:01 77                         /opt/swift/lib/a file with spaces.so
        Rss:                   8 kB
        Anonymous:             0 kB
        7f0000400000-7f0000410000 r--p 00010000 fe:01 77                         /opt/swift/lib/libswapped.so
        Rss:                   0 kB
        Anonymous:             0 kB
        Swap:                 12 kB
        7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0                          [vdso]
        Rss:                   4 kB
        Anonymous:             0 kB
        not a mapping line
        """

    @Test func parsesHeadersAndTheirSizes() {
        let mappings = SmapsMapping.parse(Self.smaps)
        #expect(mappings.count == 9)
        #expect(mappings[0] == SmapsMapping(start: 0x55d0c8a00000, end: 0x55d0c8c00000, permissions: "r-xp",
                                            path: "/usr/sbin/portcullis", residentKiB: 640, anonymousKiB: 0))
        #expect(mappings[1].anonymousKiB == 60)
        #expect(mappings[3].path == "[heap]")
        #expect(mappings[4].path == "" && mappings[4].residentKiB == 128)
        #expect(mappings[6].path == "/opt/swift/lib/a file with spaces.so")
        #expect(mappings[7].swapKiB == 12)
    }

    @Test func onlyCleanPrivateReadOnlyFileMappingsAreGivenBack() {
        let clean = SmapsMapping.parse(Self.smaps).filter(\.isCleanFileMapping).map(\.start)
        // The code and the library with spaces in its name; not the relocated read-only data
        // (pages of its own, resident or swapped out), the writable data, the heap, anonymous
        // memory, a shared mapping or the vDSO.
        #expect(clean == [0x55d0c8a00000, 0x7f0000300000])
    }

    @Test func givingBackShrinksTheResidentCodeAndTheProcessRunsOn() throws {
        func residentFileKiB() -> Int {
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("RssFile:") } ?? ""
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
        }
        func ownPagesKiB() -> Int {
            let text = (try? String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)) ?? ""
            return SmapsMapping.parse(text).filter { $0.path.hasPrefix("/") }.reduce(0) { $0 + $1.anonymousKiB }
        }
        let before = residentFileKiB()
        let ownBefore = ownPagesKiB()
        let released = StartupPages.release()
        let after = residentFileKiB()
        #expect(before > 0 && released.mappings > 0 && released.fileKiB > 0)
        #expect(after < before - released.fileKiB / 2, "RssFile \(before) → \(after) KiB, released \(released.fileKiB) KiB")
        // The libraries' relocated data (their own pages) stays as it was …
        #expect(ownPagesKiB() >= ownBefore - 64, "own pages of file mappings: \(ownBefore) → \(ownPagesKiB()) KiB")
        // … and the code unmapped runs again when called.
        let encoded = try JSONEncoder().encode(["ban": "192.0.2.1"])
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"ban":"192.0.2.1"}"#)
    }

    @Test func pagemapEntriesTellTheFilesPagesFromTheProcesss() {
        #expect(PagemapEntry(1 << 63 | 1 << 61 | 0x1234).isResidentFilePage)
        #expect(!PagemapEntry(1 << 63 | 0x1234).isResidentFilePage, "a page of the process' own (copy-on-write)")
        #expect(!PagemapEntry(1 << 61).isResidentFilePage, "not in memory")
        #expect(!PagemapEntry(0).isPresent)
    }

    /// A private writable mapping of a file (a library's data section) mixes pages written — the
    /// process' own copies — and pages only read. Only the latter may go: unmapping the whole
    /// mapping would put the file's bytes back in place of what the process wrote.
    @Test func aWrittenPageOfAPrivateFileMappingKeepsItsValue() throws {
        let directory = try TemporaryDirectory(prefix: "startup-pages")
        defer { directory.remove() }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let file = try directory.write("data.bin", String(repeating: "f", count: 3 * pageSize))
        let fd = open(file.path, O_RDONLY)
        defer { close(fd) }
        let mapped = try #require(mmap(nil, 3 * pageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0))
        #expect(mapped != MAP_FAILED)
        defer { munmap(mapped, 3 * pageSize) }
        let bytes = mapped.assumingMemoryBound(to: UInt8.self)
        #expect(bytes[0] == UInt8(ascii: "f"))          // page 0: read, still the file's
        bytes[pageSize] = UInt8(ascii: "w")             // page 1: written, the process' own
        bytes[pageSize + 1] = UInt8(ascii: "!")

        let released = StartupPages.release()

        #expect(released.writtenMappingFileKiB >= pageSize / 1024)
        #expect(bytes[pageSize] == UInt8(ascii: "w") && bytes[pageSize + 1] == UInt8(ascii: "!"), "the written page kept its bytes")
        #expect(bytes[0] == UInt8(ascii: "f") && bytes[2 * pageSize] == UInt8(ascii: "f"))
    }
}
