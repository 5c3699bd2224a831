#if canImport(Glibc)
import Glibc
#endif

/// The client side of the control socket: one command, one reply, over a Unix stream socket.
///
/// `fail2ban-client` waits without limit for ordinary commands and applies a timeout only to
/// `ping <seconds>` and to its start-up polling; pass `.infinity` to wait without limit.
public struct ControlConnection {
    /// Sends `command` to the server at `socketPath` and returns its reply. `timeout` (seconds)
    /// bounds the whole exchange: connecting, writing and reading.
    public static func send(
        _ command: [String], socketPath: String, timeout: Double
    ) throws(ControlClientError) -> ControlResponse {
        let deadline = ControlDeadline(seconds: timeout)
        let payload: [UInt8]
        do throws(ControlTransportError) {
            let descriptor = try connect(path: socketPath, deadline: deadline)
            defer { close(descriptor) }
            let stream = ControlStream(fileDescriptor: descriptor)
            try stream.write(ControlFrame.encode(request: command), deadline: deadline)
            guard let reply = try stream.readPayload(limit: ControlFrame.maximumResponseLength, deadline: deadline) else {
                throw .closed
            }
            payload = reply
        } catch {
            throw ControlClientError.classify(error, path: socketPath)
        }
        do {
            return try ControlFrame.decodeResponse(payload)
        } catch {
            throw .protocolError(error.description)
        }
    }

    /// Whether a server accepts connections at `socketPath` right now (a connect, no command):
    /// what a starting server checks before it takes the path over.
    public static func isAnswering(socketPath: String, timeout: Double = 1) -> Bool {
        guard let descriptor = try? connect(path: socketPath, deadline: ControlDeadline(seconds: timeout)) else {
            return false
        }
        close(descriptor)
        return true
    }

    /// A connected, non-blocking, close-on-exec socket.
    static func connect(path: String, deadline: ControlDeadline) throws(ControlTransportError) -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { throw .system(call: "socket", errno: errno) }
        do {
            try connect(descriptor, path: path, deadline: deadline)
            return descriptor
        } catch {
            close(descriptor)
            throw error
        }
    }

    private static func connect(_ descriptor: Int32, path: String, deadline: ControlDeadline) throws(ControlTransportError) {
        while true {
            let result = try UnixSocketAddress.with(path: path) { address, length in
                Glibc.connect(descriptor, address, length) == 0 ? 0 : errno
            }
            switch result {
            case 0, EISCONN:
                return
            case EINTR:
                continue
            case EINPROGRESS:
                try awaitConnection(descriptor, deadline: deadline)
                return
            case EAGAIN:
                // The listener's backlog is full: retry shortly, within the deadline.
                if deadline.hasPassed { throw .timedOut }
                var none = pollfd()
                _ = poll(&none, 0, min(10, deadline.pollTimeout == -1 ? 10 : deadline.pollTimeout))
            default:
                throw .system(call: "connect", errno: result)
            }
        }
    }

    private static func awaitConnection(_ descriptor: Int32, deadline: ControlDeadline) throws(ControlTransportError) {
        var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        while true {
            let ready = poll(&entry, 1, deadline.pollTimeout)
            if ready > 0 { break }
            if ready == 0 { throw .timedOut }
            if errno != EINTR { throw .system(call: "poll", errno: errno) }
        }
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &length)
        if failure != 0 { throw .system(call: "connect", errno: failure) }
    }
}
