#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// C library calls Swift's `Glibc` module does not import (they sit behind `_GNU_SOURCE`), looked
/// up at run time so an older libc or kernel falls back instead of failing to link.
enum LibC {
    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)
    }

    typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, UInt32) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static let pidfdOpenFunction: PidfdOpen? = symbol("pidfd_open").map { unsafeBitCast($0, to: PidfdOpen.self) }
    private static let pipe2Function: Pipe2? = symbol("pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    private static let memfdCreateFunction: MemfdCreate? = symbol("memfd_create").map { unsafeBitCast($0, to: MemfdCreate.self) }
    private static let addCloseFromFunction: AddCloseFrom? =
        symbol("posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// A file descriptor that becomes readable when `pid` exits (Linux 5.3+), or nil.
    static func pidfdOpen(_ pid: pid_t) -> Int32? {
        guard let open = pidfdOpenFunction else { return nil }
        let fd = open(pid, 0)
        return fd >= 0 ? fd : nil
    }

    /// An anonymous close-on-exec in-memory file (Linux 3.17+), or nil.
    static func memfdCreate(_ name: String) -> Int32? {
        guard let create = memfdCreateFunction else { return nil }
        let fd = create(name, 1 /* MFD_CLOEXEC */)
        return fd >= 0 ? fd : nil
    }

    /// A pipe whose both ends close on exec, so no other child started meanwhile inherits them.
    static func closeOnExecPipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        if let pipe2 = pipe2Function {
            guard pipe2(&fds, O_CLOEXEC) == 0 else { return nil }
        } else {
            guard pipe(&fds) == 0 else { return nil }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
        return (fds[0], fds[1])
    }

    /// Closes every descriptor from `lowest` up in the child (the daemon's sockets, databases and
    /// logs are no business of an action), when the C library can.
    static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) {
        _ = addCloseFromFunction?(actions, lowest)
    }

    /// `read(2)` into `buffer`.
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
        #if canImport(Glibc)
        Glibc.read(fd, buffer.baseAddress, buffer.count)
        #else
        Darwin.read(fd, buffer.baseAddress, buffer.count)
        #endif
    }

    /// Seconds on the monotonic clock.
    static func monotonicNow() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
