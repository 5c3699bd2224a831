#if canImport(Glibc)
import Glibc
#endif

/// What we need from `stat`: which file (device + inode), how long, whether it can be tailed,
/// and how many names it still has (0 once deleted, which tells deletion from renaming).
struct FileStatus: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: UInt64
    var isRegular: Bool
    var links: UInt64

    var identity: FileIdentity { FileIdentity(device: device, inode: inode) }

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = UInt64(max(0, st.st_size))
        isRegular = (st.st_mode & S_IFMT) == S_IFREG
        links = UInt64(st.st_nlink)
    }

    /// `stat(path)` (following symlinks, as opening does); errno on failure.
    static func of(path: String) -> Result<FileStatus, Errno> {
        var st = stat()
        if stat(path, &st) != 0 { return .failure(Errno(errno)) }
        return .success(FileStatus(st))
    }

    /// `fstat(fd)`; errno on failure.
    static func of(descriptor fd: Int32) -> Result<FileStatus, Errno> {
        var st = stat()
        if fstat(fd, &st) != 0 { return .failure(Errno(errno)) }
        return .success(FileStatus(st))
    }
}

/// Which file a descriptor or a name refers to: a rotation gives the name a new identity.
struct FileIdentity: Equatable, Hashable, CustomStringConvertible {
    var device: UInt64
    var inode: UInt64
    var description: String { "inode \(inode)" }
}

/// An errno value as a `Result` failure.
struct Errno: Error, Equatable {
    var code: Int32
    init(_ code: Int32) { self.code = code }
}

enum IO {
    /// `pread` that retries on EINTR; the byte count, or the errno.
    static func pread(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) -> Result<Int, Errno> {
        while true {
            let n = Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return .success(n) }
            if errno != EINTR { return .failure(Errno(errno)) }
        }
    }

    /// Opens `path` read-only, close-on-exec, and checks it is a regular file.
    static func openForReading(_ path: String) -> Result<(fd: Int32, status: FileStatus), LogOpenFailure> {
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) } while fd < 0 && errno == EINTR
        if fd < 0 {
            let code = errno
            return .failure(code == ENOENT || code == ENOTDIR ? .missing : .failed(.system(operation: "open", path: path, errno: code)))
        }
        switch FileStatus.of(descriptor: fd) {
        case .failure(let e):
            close(fd)
            return .failure(.failed(.system(operation: "fstat", path: path, errno: e.code)))
        case .success(let status):
            guard status.isRegular else {
                close(fd)
                return .failure(.failed(.notARegularFile(path: path)))
            }
            return .success((fd, status))
        }
    }

    /// Monotonic seconds, for deadlines.
    static func monotonicNow() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// Why a log file could not be opened: missing (waited for) or a real error.
enum LogOpenFailure: Error {
    case missing
    case failed(LogSourceError)
}
