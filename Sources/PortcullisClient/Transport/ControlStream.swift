#if canImport(Glibc)
import Glibc
#endif

/// Frame I/O on a connected stream socket, shared by the client and the server's listener.
///
/// Every wait goes through `poll` with the exchange's deadline, so the descriptor may be
/// blocking or not; writes use `MSG_NOSIGNAL` so a vanished peer is an error, not a SIGPIPE.
/// The stream does not own the descriptor: whoever opened it closes it.
public struct ControlStream: Sendable {
    public let fileDescriptor: Int32

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    /// Writes all of `bytes` (a whole frame from `ControlFrame.encode`).
    public func write(_ bytes: [UInt8], deadline: ControlDeadline) throws(ControlTransportError) {
        var written = 0
        while written < bytes.count {
            try wait(for: Int16(POLLOUT), deadline: deadline)
            let result = bytes.withUnsafeBytes { buffer in
                send(fileDescriptor, buffer.baseAddress! + written, buffer.count - written, Int32(MSG_NOSIGNAL))
            }
            if result >= 0 {
                written += result
            } else if errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK {
                throw .system(call: "send", errno: errno)
            }
        }
    }

    /// Reads one frame and returns its payload, or `nil` when the peer closed the connection
    /// cleanly between frames. Rejects a header announcing more than `limit` bytes before
    /// reading the payload.
    public func readPayload(limit: Int, deadline: ControlDeadline) throws(ControlTransportError) -> [UInt8]? {
        guard let header = try readExactly(ControlFrame.headerLength, deadline: deadline, endIsClean: true) else {
            return nil
        }
        let length: Int
        do {
            length = try ControlFrame.payloadLength(header: header, limit: limit)
        } catch {
            throw .frame(error)
        }
        guard let payload = try readExactly(length, deadline: deadline, endIsClean: false) else { throw .closed }
        return payload
    }

    private func readExactly(_ count: Int, deadline: ControlDeadline, endIsClean: Bool) throws(ControlTransportError) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var received = 0
        while received < count {
            try wait(for: Int16(POLLIN), deadline: deadline)
            let result = bytes.withUnsafeMutableBytes { buffer in
                recv(fileDescriptor, buffer.baseAddress! + received, count - received, 0)
            }
            if result > 0 {
                received += result
            } else if result == 0 {
                if received == 0 && endIsClean { return nil }
                throw .closed
            } else if errno == ECONNRESET && received == 0 && endIsClean {
                return nil
            } else if errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK {
                throw .system(call: "recv", errno: errno)
            }
        }
        return bytes
    }

    /// Waits until the socket is ready for `events` (or has hung up), or the deadline passes.
    private func wait(for events: Int16, deadline: ControlDeadline) throws(ControlTransportError) {
        while true {
            var entry = pollfd(fd: fileDescriptor, events: events, revents: 0)
            let timeout = deadline.pollTimeout
            let ready = poll(&entry, 1, timeout)
            if ready > 0 { return }
            if ready == 0 { throw .timedOut }
            if errno != EINTR { throw .system(call: "poll", errno: errno) }
        }
    }
}
