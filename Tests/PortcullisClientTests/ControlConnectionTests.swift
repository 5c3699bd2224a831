import Foundation
import Testing
import PortcullisClient
import PortcullisTestSupport

@Suite struct ControlConnectionTests {
    @Test func noServerUsesFail2bansMessage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/none.sock"
        #expect(throws: ControlClientError.noServer(path: path)) {
            try ControlConnection.send(["status"], socketPath: path, timeout: 1)
        }
        let error = ControlClientError.noServer(path: "/tmp/nonexist.sock")
        #expect(error.description == "Failed to access socket path: /tmp/nonexist.sock. Is fail2ban running?")
        #expect(error.message(forCommand: ["ping"]) == error.description)
    }

    @Test func deadSocketIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try FakeServer(path: directory.path + "/dead.sock", listening: false)
        let expected = ControlClientError.unreachable(path: server.path, reason: "[Errno 111] Connection refused")
        #expect(throws: expected) { try ControlConnection.send(["status"], socketPath: server.path, timeout: 1) }
        #expect(expected.description == "[[Errno 111] Connection refused] Unable to contact server. Is it running?")
        #expect(expected.message(forCommand: ["ping", "0.5"]) == "[Errno 111] Connection refused")
    }

    @Test func silentServerTimesOut() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try FakeServer(path: directory.path + "/silent.sock", listening: true)
        let started = ContinuousClock.now
        #expect(throws: ControlClientError.timeout) {
            try ControlConnection.send(["ping", "0.3"], socketPath: server.path, timeout: 0.3)
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(290) && elapsed < .seconds(3))
        #expect(ControlClientError.timeout.message(forCommand: ["ping", "0.3"]) == "timed out")
        #expect(ControlClientError.timeout.description == "[timed out] Unable to contact server. Is it running?")
    }

    @Test func replyIsDecoded() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try FakeServer(path: directory.path + "/ok.sock", listening: true)
        server.answerOnce(with: ControlFrame.encode(response: .ok("pong")))
        #expect(try ControlConnection.send(["ping"], socketPath: server.path, timeout: 5) == .ok("pong"))
    }

    @Test func garbageReplyIsAProtocolError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try FakeServer(path: directory.path + "/garbage.sock", listening: true)
        server.answerOnce(with: [0, 0, 0, 3] + Array("abc".utf8))
        #expect(throws: ControlClientError.protocolError("malformed control frame JSON at byte 0: unexpected character")) {
            try ControlConnection.send(["status"], socketPath: server.path, timeout: 5)
        }
    }

    @Test func oversizedReplyIsRejectedBeforeReading() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try FakeServer(path: directory.path + "/huge.sock", listening: true)
        server.answerOnce(with: [0xFF, 0xFF, 0xFF, 0xFF])
        let limit = ControlFrame.maximumResponseLength
        #expect(throws: ControlClientError.protocolError("control frame of 4294967295 bytes exceeds the limit of \(limit) bytes")) {
            try ControlConnection.send(["status"], socketPath: server.path, timeout: 5)
        }
    }

    @Test func serverClosingMidFrameIsAReset() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try FakeServer(path: directory.path + "/cut.sock", listening: true)
        server.answerOnce(with: [0, 0, 0, 50, 0x7B])
        #expect(throws: ControlClientError.unreachable(path: server.path, reason: "[Errno 104] Connection reset by peer")) {
            try ControlConnection.send(["status"], socketPath: server.path, timeout: 5)
        }
    }

    @Test func pathTooLong() throws {
        let path = "/tmp/" + String(repeating: "x", count: 200) + ".sock"
        // Nothing exists at that path, so fail2ban's check reports it as missing.
        #expect(throws: ControlClientError.noServer(path: path)) {
            try ControlConnection.send(["status"], socketPath: path, timeout: 1)
        }
    }
}
