#if canImport(Glibc)
import Glibc
#endif
import PortcullisClient

/// The listener's moving parts, shared by its accept thread, its connection threads and
/// `stop()`; all mutable state is behind `lock`.
final class ListenerCore: @unchecked Sendable {
    private enum Activity {
        /// Waiting for the next request: `stop()` may shut it down.
        case idle
        /// Handling a request: left to send its reply.
        case busy
    }

    let path: String
    private let listening: Int32
    private let identity: FileIdentity
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let handler: @Sendable ([String]) async -> ControlResponse

    private let lock = PosixLock()
    private var acceptThread: pthread_t?
    private var started = false
    private var stopping = false
    private var connections: [Int32: Activity] = [:]

    /// How long a reply may take to write before the client is given up on.
    private static let replyTimeout: Double = 60

    init(
        path: String, listening: Int32, identity: FileIdentity, wakeRead: Int32, wakeWrite: Int32,
        handler: @escaping @Sendable ([String]) async -> ControlResponse
    ) {
        self.path = path
        self.listening = listening
        self.identity = identity
        self.wakeRead = wakeRead
        self.wakeWrite = wakeWrite
        self.handler = handler
    }

    func start() {
        lock.withLock {
            guard !started, !stopping else { return }
            started = true
            acceptThread = PosixThread.spawn(detached: false) { [self] in acceptLoop() }
        }
    }

    func stop() {
        let (first, thread): (Bool, pthread_t?) = lock.withLock {
            guard !stopping else { return (false, nil) }
            stopping = true
            for (descriptor, activity) in connections where activity == .idle {
                shutdown(descriptor, Int32(SHUT_RDWR))
            }
            defer { acceptThread = nil }
            return (true, acceptThread)
        }
        guard first else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        if let thread {
            if pthread_equal(thread, pthread_self()) != 0 {
                pthread_detach(thread)
            } else {
                pthread_join(thread, nil)
            }
        }
        close(listening)
        close(wakeRead)
        close(wakeWrite)
        if FileIdentity(path: path) == identity { unlink(path) }
    }

    // MARK: Accepting

    private func acceptLoop() {
        while true {
            var entries = [
                pollfd(fd: listening, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&entries, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if entries[1].revents != 0 || lock.withLock({ stopping }) { return }
            guard entries[0].revents != 0 else { continue }
            // Glibc's module does not export accept4: mark close-on-exec right after accepting.
            let connection = accept(listening, nil, nil)
            if connection < 0 {
                if errno == EMFILE || errno == ENFILE || errno == ENOMEM || errno == ENOBUFS {
                    // Out of descriptors: back off instead of spinning on the pending connection.
                    var none = pollfd()
                    _ = poll(&none, 0, 100)
                }
                continue
            }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            admit(connection)
        }
    }

    private func admit(_ connection: Int32) {
        let admitted = lock.withLock {
            guard !stopping, connections.count < ControlListener.maximumConnections else { return false }
            connections[connection] = .busy
            return true
        }
        guard admitted else {
            close(connection)
            return
        }
        let spawned = PosixThread.spawn(detached: true) { [self] in serve(connection) }
        if spawned == nil { finish(connection) }
    }

    // MARK: Serving one connection

    private func serve(_ connection: Int32) {
        let stream = ControlStream(fileDescriptor: connection)
        defer { finish(connection) }
        while true {
            guard becomeIdle(connection) else { return }
            let payload: [UInt8]
            do {
                guard let received = try stream.readPayload(limit: ControlFrame.maximumRequestLength, deadline: .never) else {
                    return
                }
                payload = received
            } catch {
                if case .frame(let problem) = error { reject(problem, on: stream) }
                return
            }
            guard becomeBusy(connection) else { return }
            let words: [String]
            do {
                words = try ControlFrame.decodeRequest(payload)
            } catch {
                reject(error, on: stream)
                return
            }
            let reply = ControlFrame.encode(response: handle(words))
            do {
                try stream.write(reply, deadline: ControlDeadline(seconds: Self.replyTimeout))
            } catch {
                return
            }
        }
    }

    /// Runs the handler as a task and waits for its reply on this (non-pool) thread.
    private func handle(_ words: [String]) -> ControlResponse {
        let handOff = HandOff<ControlResponse>()
        let handler = self.handler
        Task { handOff.put(await handler(words)) }
        return handOff.take()
    }

    private func reject(_ problem: ControlFrameError, on stream: ControlStream) {
        let reply = ControlFrame.encode(response: .failure("Invalid request: \(problem)"))
        try? stream.write(reply, deadline: ControlDeadline(seconds: 5))
    }

    /// Marks the connection idle; false when the listener is stopping (the connection ends).
    private func becomeIdle(_ connection: Int32) -> Bool {
        lock.withLock {
            guard !stopping else { return false }
            connections[connection] = .idle
            return true
        }
    }

    /// Marks the connection busy; false when `stop()` already shut it down.
    private func becomeBusy(_ connection: Int32) -> Bool {
        lock.withLock {
            guard !stopping else { return false }
            connections[connection] = .busy
            return true
        }
    }

    private func finish(_ connection: Int32) {
        lock.withLock { _ = connections.removeValue(forKey: connection) }
        close(connection)
    }
}
