#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A self-pipe that wakes a reader thread blocked in `poll` (new command, stop): the log
/// watchers' and the journal reader's loops, the netlink ruleset monitor. Both ends are
/// non-blocking and close-on-exec. Writes after `close()` are ignored, so a late `signal()`
/// never writes to a reused descriptor number.
public final class WakePipe: @unchecked Sendable {
    private let lock = NSLock()
    private var fds: (read: Int32, write: Int32)?   // guarded by `lock`
    /// The end to poll for `POLLIN` (stable until `close()`).
    public let readDescriptor: Int32

    /// Nil when `pipe(2)` fails (`errno` tells why).
    public init?() {
        var pair: [Int32] = [-1, -1]
        guard pipe(&pair) == 0 else { return nil }
        for fd in pair {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        fds = (pair[0], pair[1])
        readDescriptor = pair[0]
    }

    public func signal() {
        lock.lock()
        defer { lock.unlock() }
        guard let fds else { return }
        var byte: UInt8 = 1
        _ = write(fds.write, &byte, 1)   // EAGAIN: a wake-up is already pending, which is enough
    }

    /// Empties the pipe after `poll` reported it readable.
    public func drain() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while scratch.withUnsafeMutableBytes({ read(readDescriptor, $0.baseAddress, $0.count) }) > 0 {}
    }

    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard let open = fds else { return }
        fds = nil
        Glibc.close(open.read)
        Glibc.close(open.write)
    }

    deinit { close() }
}
