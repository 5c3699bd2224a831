#if canImport(Glibc)
import Glibc
#endif

/// An inotify instance: watches by path, and the events read from it in bulk.
final class Inotify {
    let descriptor: Int32
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// What a watched file reports: writes, truncation, and its name or link count changing.
    static let fileMask = UInt32(IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF)
    /// What a watched folder reports: names appearing and disappearing (rotation).
    static let directoryMask = UInt32(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO
        | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

    struct Event {
        var watch: Int32
        var mask: UInt32
        /// The name within a watched folder ("" for events on the watched object itself).
        var name: String

        var overflowed: Bool { mask & UInt32(IN_Q_OVERFLOW) != 0 }
        /// The kernel dropped this watch (its object was deleted, or it was removed).
        var ignored: Bool { mask & UInt32(IN_IGNORED) != 0 }
    }

    init() throws(LogSourceError) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw .inotify(operation: "init", path: nil, errno: errno) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    func add(_ path: String, mask: UInt32) -> Result<Int32, Errno> {
        let wd = inotify_add_watch(descriptor, path, mask)
        return wd >= 0 ? .success(wd) : .failure(Errno(errno))
    }

    func remove(_ watch: Int32) {
        _ = inotify_rm_watch(descriptor, watch)
    }

    /// All events queued now (the descriptor is non-blocking).
    func readEvents() -> [Event] {
        var events = [Event]()
        while true {
            let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            buffer.withUnsafeBytes { raw in
                var at = 0
                while at + 16 <= n {
                    let wd = raw.loadUnaligned(fromByteOffset: at, as: Int32.self)
                    let mask = raw.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self)
                    let length = Int(raw.loadUnaligned(fromByteOffset: at + 12, as: UInt32.self))
                    var name = ""
                    if length > 0 {
                        let bytes = UnsafeRawBufferPointer(rebasing: raw[(at + 16)..<min(n, at + 16 + length)])
                        let end = bytes.firstIndex(of: 0) ?? bytes.count
                        name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
                    }
                    events.append(Event(watch: wd, mask: mask, name: name))
                    at += 16 + length
                }
            }
        }
        return events
    }
}
