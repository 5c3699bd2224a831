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
    }

    /// Returns free C-heap pages to the kernel and unmaps the resident pages of every mapping
    /// that `SmapsMapping.isCleanFileMapping` accepts.
    @discardableResult
    public static func release() -> Released {
        _ = glibcMallocTrim(0)
        var released = Released()
        guard let text = readProcFile("/proc/self/smaps") else { return released }
        for mapping in SmapsMapping.parse(text) where mapping.isCleanFileMapping && mapping.residentKiB > 0 {
            let start = UnsafeMutableRawPointer(bitPattern: mapping.start)
            guard madvise(start, Int(mapping.end - mapping.start), MADV_DONTNEED) == 0 else { continue }
            released.fileKiB += mapping.residentKiB
            released.mappings += 1
        }
        return released
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

/// glibc's `malloc_trim(3)`, declared in `<malloc.h>`, which the Glibc module does not export.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
