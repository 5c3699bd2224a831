#if canImport(Glibc)
import Glibc
#endif

/// A filesystem path as a `sockaddr_un`, for `connect` and `bind` on both sides of the socket.
public enum UnixSocketAddress {
    /// Bytes `sun_path` holds, including the terminating NUL.
    public static let pathCapacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)

    /// Calls `body` with the address of `path`; throws when the path does not fit.
    public static func with<Result>(
        path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result
    ) throws(ControlTransportError) -> Result {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, !bytes.contains(0) else { throw .system(call: "socket path", errno: ENOENT) }
        guard bytes.count < pathCapacity else {
            throw .pathTooLong(path)
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
