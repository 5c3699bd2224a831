#if canImport(Glibc)
import Glibc
#endif

/// Gives back what only the start-up needed, so that an idle daemon's resident set is what it
/// keeps using: the free pages of the C heap, and the machine code the start-up ran.
///
/// Code and read-only data are mapped from their files, and the kernel maps them in 64 KiB runs
/// around each page touched (fault-around). Reading the config tree, compiling the filters,
/// opening the database and restoring bans run code all over Foundation, the Swift runtime and
/// the libraries, which then stays mapped — about 35 MiB of a 41 MiB idle resident set. Unmapping
/// a clean mapping of a file loses nothing: the next access maps the same page again from the
/// page cache, so only what an idle daemon runs comes back.
public enum StartupPages {
    /// What one release gave back, for the log.
    public struct Released: Sendable, Equatable {
        /// Resident KiB of the file mappings that were unmapped.
        public var fileKiB = 0
        /// How many mappings they were.
        public var mappings = 0
        /// Resident KiB of the file's own pages in written mappings (data sections, relocated
        /// read-only data) that were handed to reclaim.
        public var writtenMappingFileKiB = 0
    }

    /// Returns free C-heap pages to the kernel, unmaps the resident pages of every mapping that
    /// `SmapsMapping.isCleanFileMapping` accepts, and hands the file's own pages of the other
    /// private file mappings to reclaim.
    ///
    /// A library's data section and its relocated read-only data are mostly pages the process
    /// wrote (its own copies), among pages only read (still the file's). Unmapping would lose the
    /// copies, so those mappings get `MADV_PAGEOUT`, and only on the runs of pages that
    /// `/proc/self/pagemap` reports as the file's: reclaim never loses data, and a page written
    /// between the two steps is simply kept.
    @discardableResult
    public static func release() -> Released {
        _ = glibcMallocTrim(0)
        var released = Released()
        guard let text = readProcFile("/proc/self/smaps") else { return released }
        let pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC)
        defer { if pagemap >= 0 { close(pagemap) } }
        for mapping in SmapsMapping.parse(text) where mapping.residentKiB > 0 {
            let start = UnsafeMutableRawPointer(bitPattern: mapping.start)
            if mapping.isCleanFileMapping {
                guard madvise(start, Int(mapping.end - mapping.start), MADV_DONTNEED) == 0 else { continue }
                released.fileKiB += mapping.residentKiB
                released.mappings += 1
            } else if mapping.isPrivateFileMapping, mapping.residentKiB > mapping.anonymousKiB, pagemap >= 0 {
                released.writtenMappingFileKiB += pageOutFilePages(of: mapping, pagemap: pagemap)
            }
        }
        return released
    }

    /// Hands each run of resident file pages of `mapping` to reclaim; returns their KiB.
    private static func pageOutFilePages(of mapping: SmapsMapping, pagemap: Int32) -> Int {
        let pageSize = UInt(sysconf(Int32(_SC_PAGESIZE)))
        let pages = Int((mapping.end - mapping.start) / pageSize)
        var entries = [UInt64](repeating: 0, count: pages)
        let wanted = pages * 8
        let got = entries.withUnsafeMutableBytes {
            pread(pagemap, $0.baseAddress, wanted, off_t(mapping.start / pageSize * 8))
        }
        guard got == wanted else { return 0 }
        var pagedOut = 0
        var runStart: Int?
        for index in 0...pages {
            let isFilePage = index < pages && PagemapEntry(entries[index]).isResidentFilePage
            if isFilePage, runStart == nil { runStart = index }
            guard !isFilePage, let first = runStart else { continue }
            runStart = nil
            let address = UnsafeMutableRawPointer(bitPattern: mapping.start + UInt(first) * pageSize)
            if madvise(address, (index - first) * Int(pageSize), madvisePageOut) == 0 {
                pagedOut += (index - first) * Int(pageSize) / 1024
            }
        }
        return pagedOut
    }

    /// The whole of a `/proc` file (their size is not known before reading).
    static func readProcFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// One mapping of `/proc/PID/smaps`: its address range, permissions, file and resident sizes.
public struct SmapsMapping: Sendable, Equatable {
    public var start: UInt
    public var end: UInt
    /// `r-xp`, `rw-p`, …: the fourth letter is `p` for a private mapping, `s` for a shared one.
    public var permissions: String
    /// A file's path, a name such as `[heap]`, or empty (anonymous memory).
    public var path: String
    public var residentKiB = 0
    /// Pages of the mapping that are the process's own (written, copy-on-write), not the file's.
    public var anonymousKiB = 0
    /// The process's own pages of the mapping that are swapped out (not in `anonymousKiB`).
    public var swapKiB = 0

    /// A private mapping of a file that cannot be written and holds no page of its own, resident
    /// or swapped out: the machine code and read-only data of the binary and its libraries. A
    /// relocated read-only section (a library's GOT after RELRO) holds copies written at load
    /// time, so it is not one: unmapping it would bring back the file's unrelocated bytes.
    public var isCleanFileMapping: Bool {
        let letters = Array(permissions.utf8)
        return letters.count == 4 && letters[1] != UInt8(ascii: "w") && letters[3] == UInt8(ascii: "p")
            && path.hasPrefix("/") && anonymousKiB == 0 && swapKiB == 0
    }

    /// A private mapping of a file, whatever its permissions.
    public var isPrivateFileMapping: Bool {
        permissions.utf8.last == UInt8(ascii: "p") && path.hasPrefix("/")
    }

    /// The mappings of an smaps text. A mapping's header is `start-end perms offset dev inode
    /// [path]`; each of its fields is `Name: value [kB]`, recognised by the colon that ends the
    /// first word. Lines that are neither are skipped.
    public static func parse(_ text: String) -> [SmapsMapping] {
        var mappings: [SmapsMapping] = []
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard let first = words.first else { continue }
            if first.hasSuffix(":") {
                guard !mappings.isEmpty, words.count >= 2, let value = Int(words[1]) else { continue }
                switch first {
                case "Rss:": mappings[mappings.count - 1].residentKiB = value
                case "Anonymous:": mappings[mappings.count - 1].anonymousKiB = value
                case "Swap:": mappings[mappings.count - 1].swapKiB = value
                default: break
                }
            } else if let mapping = header(words) {
                mappings.append(mapping)
            }
        }
        return mappings
    }

    private static func header(_ words: [Substring]) -> SmapsMapping? {
        guard words.count >= 5, let dash = words[0].firstIndex(of: "-"),
              let start = UInt(words[0][..<dash], radix: 16),
              let end = UInt(words[0][words[0].index(after: dash)...], radix: 16), start < end else { return nil }
        let path = words.count > 5 ? String(words[5].drop(while: { $0 == " " })) : ""
        return SmapsMapping(start: start, end: end, permissions: String(words[1]), path: path)
    }
}

/// One 64-bit entry of `/proc/PID/pagemap` (the kernel's `Documentation/admin-guide/mm/pagemap.rst`).
struct PagemapEntry: Equatable {
    var bits: UInt64
    init(_ bits: UInt64) { self.bits = bits }

    /// Bit 63: the page is in memory.
    var isPresent: Bool { bits & (1 << 63) != 0 }
    /// Bit 61: the page is a file's page (or shared anonymous memory), not the process's own copy.
    var isFileOrSharedPage: Bool { bits & (1 << 61) != 0 }
    /// A page of the file, in memory, that reclaim can drop without losing anything.
    var isResidentFilePage: Bool { isPresent && isFileOrSharedPage }
}

/// `MADV_PAGEOUT` (Linux 5.4): reclaim these pages now. The Glibc module does not export it.
private let madvisePageOut: Int32 = 21

/// glibc's `malloc_trim(3)`, declared in `<malloc.h>`, which the Glibc module does not export.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
