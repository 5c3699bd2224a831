import Foundation
import Glibc
import PortcullisClient

/// Raw Unix sockets standing in for a server, to drive the client into each failure.
final class FakeServer: @unchecked Sendable {
    let path: String
    let descriptor: Int32

    /// A socket bound at `path`, listening (backlog) only when `listening`.
    init(path: String, listening: Bool) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let bound = try UnixSocketAddress.with(path: path) { bind(descriptor, $0, $1) }
        guard bound == 0 else { throw POSIXError(.init(rawValue: errno)!) }
        if listening { listen(descriptor, 8) }
    }

    deinit { close(descriptor) }

    /// Accepts one connection on a background thread, reads one request frame, writes
    /// `reply` (raw bytes) and closes.
    func answerOnce(with reply: [UInt8]) {
        let descriptor = self.descriptor
        Thread.detachNewThread {
            let connection = accept(descriptor, nil, nil)
            guard connection >= 0 else { return }
            let stream = ControlStream(fileDescriptor: connection)
            _ = try? stream.readPayload(limit: ControlFrame.maximumRequestLength, deadline: ControlDeadline(seconds: 5))
            try? stream.write(reply, deadline: ControlDeadline(seconds: 5))
            close(connection)
        }
    }
}
