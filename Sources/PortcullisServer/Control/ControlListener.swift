#if canImport(Glibc)
import Glibc
#endif
import PortcullisClient

/// The server end of the control socket: accepts `fail2ban-client`-style connections on a Unix
/// socket, reads framed requests (`ControlFrame`) and answers each through the handler.
///
/// - The socket file is created mode 0600 and owned by the running user, so only that user
///   (root, for a real deployment) can command the server.
/// - A socket already at the path is never taken from a live server: if something answers on
///   it, `init` throws `alreadyRunning`; if it is a dead server's leftover, `removeStale`
///   (`-x`) removes it, otherwise `init` throws `staleSocket`. Non-sockets are never removed.
/// - The socket is bound and listening when `init` returns (clients may queue); `start()`
///   begins serving. Accepting and reading happen on dedicated threads, one per connection,
///   never on the cooperative pool; each request's handler runs as a task while its
///   connection thread waits. Requests on one connection are answered in order.
/// - Garbage or oversized frames (over `ControlFrame.maximumRequestLength`) get an
///   `{"error": …}` reply and the connection is closed; the listener keeps serving others.
/// - `stop()` stops accepting, lets a request being handled send its reply (so `stop` can
///   answer "Shutdown successful"), closes idle connections, and unlinks the socket if it is
///   still the one this listener created.
public final class ControlListener: Sendable {
    /// Most connections served at once; more are closed on accept.
    public static let maximumConnections = 64

    public let path: String
    private let core: ListenerCore

    public init(
        path: String, removeStale: Bool,
        handler: @escaping @Sendable ([String]) async -> ControlResponse
    ) throws(ControlListenerError) {
        self.path = path
        try Self.clearPath(path, removeStale: removeStale)
        let socket = try Self.bindSocket(path)
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else {
            let code = errno
            close(socket.descriptor)
            unlink(path)
            throw .system(call: "pipe", path: path, errno: code)
        }
        for end in pipeEnds {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, O_NONBLOCK)
        }
        core = ListenerCore(
            path: path, listening: socket.descriptor, identity: socket.identity,
            wakeRead: pipeEnds[0], wakeWrite: pipeEnds[1], handler: handler)
    }

    deinit { core.stop() }

    /// Begins accepting connections (once; later calls do nothing).
    public func start() { core.start() }

    /// Stops accepting, closes idle connections, and removes the socket file.
    public func stop() { core.stop() }

    // MARK: Opening the socket

    /// Makes the path free for binding, or explains why it cannot be.
    private static func clearPath(_ path: String, removeStale: Bool) throws(ControlListenerError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw .system(call: "stat", path: path, errno: errno)
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else { throw .notASocket(path: path) }
        if ControlConnection.isAnswering(socketPath: path) { throw .alreadyRunning(path: path) }
        guard removeStale else { throw .staleSocket(path: path) }
        guard unlink(path) == 0 || errno == ENOENT else { throw .system(call: "unlink", path: path, errno: errno) }
    }

    /// A listening, non-blocking, close-on-exec socket bound at `path` with mode 0600, and the
    /// identity (device, inode) of the socket file.
    private static func bindSocket(_ path: String) throws(ControlListenerError) -> (descriptor: Int32, identity: FileIdentity) {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { throw .system(call: "socket", path: path, errno: errno) }
        func fail(_ call: String, _ code: Int32, bound: Bool) -> ControlListenerError {
            close(descriptor)
            if bound { unlink(path) }
            return .system(call: call, path: path, errno: code)
        }
        // On Linux the socket file takes the socket inode's mode (less the umask) at bind
        // time, so the file never exists with wider permissions than 0600.
        _ = fchmod(descriptor, 0o600)
        let bound: Int32
        do {
            bound = try UnixSocketAddress.with(path: path) { address, length in
                bind(descriptor, address, length) == 0 ? 0 : errno
            }
        } catch {
            close(descriptor)
            throw .pathTooLong(path: path)
        }
        if bound != 0 { throw fail("bind", bound, bound: false) }
        guard chmod(path, 0o600) == 0 else { throw fail("chmod", errno, bound: true) }
        guard listen(descriptor, 64) == 0 else { throw fail("listen", errno, bound: true) }
        guard let identity = FileIdentity(path: path) else { throw fail("stat", errno, bound: true) }
        return (descriptor, identity)
    }
}

/// Device and inode of a file, to tell our socket file from one a later server put there.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64

    init?(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
