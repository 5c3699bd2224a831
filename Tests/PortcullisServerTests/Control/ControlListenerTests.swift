import Foundation
import Glibc
import Testing
import PortcullisClient
import PortcullisServer
import PortcullisTestSupport

/// The listener and the client over a real Unix socket in a temporary folder.
///
/// Blocking client calls run on their own threads (`BlockingClient`): the listener answers
/// through async handler tasks, which need the cooperative pool the tests themselves run on.
@Suite struct ControlListenerTests {
    /// Replies like fail2ban's transmitter for a few commands.
    static let handler: @Sendable ([String]) async -> ControlResponse = { words in
        switch words.first {
        case "ping": return .ok("pong")
        case "status" where words.count == 1:
            return .ok(.pairs([("Number of jail", 1), ("Jail list", "sshd")]))
        case "status": return .unknownJail(words[1])
        case "echo": return .ok(.strings(Array(words.dropFirst())))
        case "sleep":
            try? await Task.sleep(for: .milliseconds(Int(words[1]) ?? 0))
            return .ok(nil)
        default: return .unknownCommand
        }
    }

    /// A started listener in a fresh folder; callers stop it and remove the folder.
    private func makeListener() throws -> (ControlListener, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let listener = try ControlListener(path: directory.path + "/f2b.sock", removeStale: false, handler: Self.handler)
        listener.start()
        return (listener, directory)
    }

    @Test func roundTrips() async throws {
        let (listener, directory) = try makeListener()
        defer { directory.remove() }
        defer { listener.stop() }
        let client = BlockingClient(path: listener.path)
        #expect(try await client.send(["ping"]) == .ok("pong"))
        #expect(try await client.send(["status"]) == .ok([["Number of jail", 1], ["Jail list", "sshd"]]))
        #expect(try await client.send(["status", "nosuch"]) == .failure("Sorry but the jail 'nosuch' does not exist"))
        #expect(try await client.send(["echo", "é", "x y"]) == .ok(["é", "x y"]))
    }

    @Test func severalRequestsOnOneConnection() async throws {
        let (listener, directory) = try makeListener()
        defer { directory.remove() }
        defer { listener.stop() }
        let descriptor = try connect(listener.path)
        defer { close(descriptor) }
        for word in ["a", "b", "c"] {
            let payload = try #require(try await BlockingClient.exchange(descriptor, ControlFrame.encode(request: ["echo", word])))
            #expect(try ControlFrame.decodeResponse(payload) == .ok([.string(word)]))
        }
    }

    @Test func connectionsAreServedConcurrently() async throws {
        let (listener, directory) = try makeListener()
        defer { directory.remove() }
        defer { listener.stop() }
        let client = BlockingClient(path: listener.path)
        let started = ContinuousClock.now
        let replies = try await withThrowingTaskGroup(of: ControlResponse.self) { group in
            for _ in 0..<8 {
                group.addTask { try await client.send(["sleep", "300"], timeout: 10) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(replies == Array(repeating: .ok(nil), count: 8))
        #expect(ContinuousClock.now - started < .milliseconds(2000))
    }

    @Test func socketIsPrivate() throws {
        let (listener, directory) = try makeListener()
        defer { directory.remove() }
        defer { listener.stop() }
        var info = stat()
        #expect(lstat(listener.path, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(info.st_uid == getuid())
    }

    @Test func stopUnlinksTheSocket() async throws {
        let (listener, directory) = try makeListener()
        defer { directory.remove() }
        let client = BlockingClient(path: listener.path)
        #expect(try await client.send(["ping"]) == .ok("pong"))
        listener.stop()
        #expect(access(listener.path, F_OK) != 0)
        await #expect(throws: ControlClientError.noServer(path: listener.path)) { try await client.send(["ping"]) }
        listener.stop()
    }

    @Test func stopFromTheHandlerStillReplies() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/f2b.sock"
        let holder = ListenerHolder()
        let listener = try ControlListener(path: path, removeStale: false) { _ in
            holder.listener?.stop()
            return .ok(nil)
        }
        holder.listener = listener
        listener.start()
        #expect(try await BlockingClient(path: path).send(["stop"]) == .ok(nil))
        #expect(access(path, F_OK) != 0)
    }

    @Test func idleConnectionsAreClosedOnStop() async throws {
        let (listener, directory) = try makeListener()
        defer { directory.remove() }
        let descriptor = try connect(listener.path)
        defer { close(descriptor) }
        #expect(try await BlockingClient.exchange(descriptor, ControlFrame.encode(request: ["ping"])) != nil)
        listener.stop()
        #expect(try await BlockingClient.read(descriptor) == nil)
    }

    @Test func liveServerIsNeverReplaced() async throws {
        let (listener, directory) = try makeListener()
        defer { directory.remove() }
        defer { listener.stop() }
        for removeStale in [false, true] {
            #expect(throws: ControlListenerError.alreadyRunning(path: listener.path)) {
                _ = try ControlListener(path: listener.path, removeStale: removeStale, handler: Self.handler)
            }
        }
        #expect(try await BlockingClient(path: listener.path).send(["ping"]) == .ok("pong"))
    }

    @Test func staleSocketNeedsRemoveStale() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/f2b.sock"
        let leftover = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        _ = try UnixSocketAddress.with(path: path) { bind(leftover, $0, $1) }
        close(leftover)
        #expect(throws: ControlListenerError.staleSocket(path: path)) {
            _ = try ControlListener(path: path, removeStale: false, handler: Self.handler)
        }
        let listener = try ControlListener(path: path, removeStale: true, handler: Self.handler)
        listener.start()
        defer { listener.stop() }
        #expect(try await BlockingClient(path: path).send(["ping"]) == .ok("pong"))
    }

    @Test func nonSocketIsNeverRemoved() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("f2b.sock", "keep me")
        #expect(throws: ControlListenerError.notASocket(path: file.path)) {
            _ = try ControlListener(path: file.path, removeStale: true, handler: Self.handler)
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "keep me")
    }

    @Test func missingDirectoryAndLongPath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.path + "/no/such/f2b.sock"
        #expect(throws: ControlListenerError.system(call: "bind", path: missing, errno: ENOENT)) {
            _ = try ControlListener(path: missing, removeStale: false, handler: Self.handler)
        }
        let long = directory.path + "/" + String(repeating: "x", count: 120)
        #expect(throws: ControlListenerError.pathTooLong(path: long)) {
            _ = try ControlListener(path: long, removeStale: false, handler: Self.handler)
        }
    }

    @Test(arguments: [
        ([0, 0, 0, 8] + Array("not json".utf8), "Invalid request: malformed control frame JSON at byte 0: unknown literal"),
        ([0, 0, 0, 4] + Array("[42]".utf8), "Invalid request: unexpected control frame content: a request must be a list of strings"),
        ([0x7F, 0xFF, 0xFF, 0xFF], "Invalid request: control frame of 2147483647 bytes exceeds the limit of 1048576 bytes"),
        ([0, 0, 0, 0], "Invalid request: empty control frame"),
    ] as [([UInt8], String)])
    func garbageFramesAreAnsweredAndClosed(bytes: [UInt8], message: String) async throws {
        let (listener, directory) = try makeListener()
        defer { directory.remove() }
        defer { listener.stop() }
        let descriptor = try connect(listener.path)
        defer { close(descriptor) }
        let payload = try #require(try await BlockingClient.exchange(descriptor, bytes))
        #expect(try ControlFrame.decodeResponse(payload) == .failure(message))
        // The listener then closes the connection, and keeps serving others.
        #expect(try await BlockingClient.read(descriptor) == nil)
        #expect(try await BlockingClient(path: listener.path).send(["ping"]) == .ok("pong"))
    }

    @Test func clientVanishingMidFrameDoesNotDisturbOthers() async throws {
        let (listener, directory) = try makeListener()
        defer { directory.remove() }
        defer { listener.stop() }
        let descriptor = try connect(listener.path)
        try ControlStream(fileDescriptor: descriptor).write([0, 0, 1, 0, 0x5B], deadline: ControlDeadline(seconds: 5))
        close(descriptor)
        #expect(try await BlockingClient(path: listener.path).send(["ping"]) == .ok("pong"))
    }

    private func connect(_ path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let result = try UnixSocketAddress.with(path: path) { Glibc.connect(descriptor, $0, $1) }
        try #require(result == 0)
        return descriptor
    }
}

/// Runs the blocking client calls on their own threads, leaving the cooperative pool to the
/// listener's handler tasks.
struct BlockingClient: Sendable {
    let path: String

    func send(_ command: [String], timeout: Double = 5) async throws -> ControlResponse {
        let path = self.path
        return try await Self.offPool { try ControlConnection.send(command, socketPath: path, timeout: timeout) }
    }

    /// Writes `bytes` on a connected descriptor and reads the reply frame's payload.
    static func exchange(_ descriptor: Int32, _ bytes: [UInt8]) async throws -> [UInt8]? {
        try await offPool {
            let stream = ControlStream(fileDescriptor: descriptor)
            try stream.write(bytes, deadline: ControlDeadline(seconds: 5))
            return try stream.readPayload(limit: 1 << 20, deadline: ControlDeadline(seconds: 5))
        }
    }

    /// The next reply frame's payload, or nil when the listener closed the connection.
    static func read(_ descriptor: Int32) async throws -> [UInt8]? {
        try await offPool {
            try ControlStream(fileDescriptor: descriptor).readPayload(limit: 1 << 20, deadline: ControlDeadline(seconds: 5))
        }
    }

    private static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// Lets a handler reach the listener it belongs to.
final class ListenerHolder: @unchecked Sendable {
    var listener: ControlListener?
}
