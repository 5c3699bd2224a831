#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Watches log files and delivers their new lines — the file side of a jail's log source.
///
/// One dedicated thread per watcher blocks on inotify (the files themselves and their folders,
/// so renames and creations are seen at once) or, with `.polling`, stats every file each
/// `pollInterval` seconds as fail2ban's polling backend does. Rotation by rename-and-create,
/// delete-and-recreate and copytruncate is followed without losing or repeating a line.
///
/// A file that goes away stays open until a successor appears under its name (or it is
/// removed from the watcher), so what its writer still appends is read; it is reported
/// `.missing` only if no successor appears within `pollInterval`.
///
/// Events come through `events()` to a single consumer, which reading waits for: a slow
/// consumer slows reading rather than piling a large log up in memory.
public final class FileWatcher: Sendable {
    /// The backend in use: `.auto` resolves to `.inotify`, or `.polling` without inotify.
    public let backend: LogBackend
    public let pollInterval: Double
    private let loop: WatchLoop
    private let registry = PathRegistry()

    public init(backend: LogBackend, pollInterval: Double = 1.0) throws(LogSourceError) {
        var inotify: Inotify?
        switch backend {
        case .polling: inotify = nil
        case .inotify: inotify = try Inotify()
        case .auto: inotify = try? Inotify()
        }
        self.backend = inotify == nil ? .polling : .inotify
        self.pollInterval = pollInterval > 0 ? pollInterval : 1.0
        loop = try WatchLoop(inotify: inotify, pollInterval: self.pollInterval)
        loop.start()
    }

    deinit { loop.stop() }

    /// Watches `path`, read from `start` if it exists now. A missing file is not an error: a
    /// `.missing` event says so and the file is read from its beginning once it appears.
    /// Adding a path already watched does nothing. Throws when the file exists but cannot be
    /// read (permissions, a folder…).
    public func add(path: String, start: LogStart) throws(LogSourceError) {
        guard registry.insert(path) else { return }
        do {
            loop.submit(.add(try Self.open(path, start, missingGrace: pollInterval)))
        } catch {
            registry.remove(path)
            throw error
        }
    }

    /// Watches every file matching `glob` now, each read from `start`, and returns them.
    /// Like fail2ban, the pattern is expanded once: files that match later are not picked up
    /// (a reload adds them). A pattern without glob characters is `add(path:)` — watched even
    /// while missing; a real pattern matching nothing returns [] and the daemon decides
    /// (fail2ban fails a jail that ends up with no file at all).
    @discardableResult
    public func add(glob: String, start: LogStart) throws(LogSourceError) -> [String] {
        guard Glob.isPattern(glob) else {
            try add(path: glob, start: start)
            return [glob]
        }
        let paths = Glob.expand(glob)
        for path in paths { try add(path: path, start: start) }
        return paths
    }

    /// Stops watching `path` (its descriptor is closed; nothing more is reported for it).
    public func remove(path: String) {
        guard registry.remove(path) else { return }
        loop.submit(.remove(path))
    }

    /// The watched paths, in the order they were added.
    public var paths: [String] { registry.all }

    /// The events of all watched files. Single consumer: every call returns a view of the same
    /// queue. The stream ends after `stop()`.
    public func events() -> AsyncStream<LogEvent> { loop.queue.stream() }

    /// Stops the thread and closes every file; the event stream ends.
    public func stop() { loop.stop() }

    private static func open(_ path: String, _ start: LogStart, missingGrace: Double) throws(LogSourceError) -> TailedFile {
        switch IO.openForReading(path) {
        case .failure(.missing):
            return TailedFile(missing: path, missingGrace: missingGrace)
        case .failure(.failed(let error)):
            throw error
        case .success(let opened):
            let firstLine: FirstLine?
            switch FirstLine.read(opened.fd) {
            case .success(let line): firstLine = line
            case .failure(let e):
                close(opened.fd)
                throw .system(operation: "read", path: path, errno: e.code)
            }
            let offset = StartResolver.offset(for: start, fd: opened.fd, size: opened.status.size, firstLine: firstLine)
            return TailedFile(path: path, descriptor: opened.fd, status: opened.status,
                              firstLine: firstLine, offset: offset, missingGrace: missingGrace)
        }
    }
}

/// The watched paths as callers see them (updated at once, ahead of the thread).
private final class PathRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var ordered: [String] = []
    private var present: Set<String> = []

    func insert(_ path: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard present.insert(path).inserted else { return false }
        ordered.append(path)
        return true
    }

    @discardableResult
    func remove(_ path: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard present.remove(path) != nil else { return false }
        ordered.removeAll { $0 == path }
        return true
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return ordered
    }
}
