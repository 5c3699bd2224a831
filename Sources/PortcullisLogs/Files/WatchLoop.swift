#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PortcullisSystem

/// The watcher's thread: blocks in `poll` on the inotify descriptor and a wake-up pipe (or
/// until the next poll tick), refreshes the files that changed, and pushes their events into
/// the queue. Files, watches and the scratch buffer belong to this thread alone; other threads
/// reach it only through `submit` (the inbox, under a lock) and `stop` (closing the queue).
final class WatchLoop: @unchecked Sendable {
    enum Command {
        case add(TailedFile)
        case remove(String)
    }

    let queue = EventQueue<LogEvent>(capacity: 16)
    private let wake: WakePipe
    private let inotify: Inotify?
    private let pollInterval: Double

    private let lock = NSLock()
    private var inbox: [Command] = []      // guarded by `lock`

    // Thread-confined state.
    private var files: [String: TailedFile] = [:]
    private var dirty: Set<String> = []
    /// Watched folders: watch descriptor → folder and the watched names in it (name → paths).
    private var folders: [Int32: (folder: String, names: [String: Set<String>])] = [:]
    private var folderWatch: [String: Int32] = [:]
    /// Watched files: watch descriptor → paths; path → (watch, the file it watches).
    private var fileWatchPaths: [Int32: Set<String>] = [:]
    private var fileWatch: [String: (watch: Int32, identity: FileIdentity)] = [:]
    private var reportedWatchFailures: Set<String> = []

    init(inotify: Inotify?, pollInterval: Double) throws(LogSourceError) {
        self.inotify = inotify
        self.pollInterval = pollInterval > 0 ? pollInterval : 1.0
        guard let wake = WakePipe() else { throw .system(operation: "pipe", path: "(wake-up pipe)", errno: errno) }
        self.wake = wake
    }

    func submit(_ command: Command) {
        lock.lock()
        inbox.append(command)
        lock.unlock()
        wake.signal()
    }

    /// Closes the queue (the thread's stop signal, and the end of the consumer's stream) and
    /// wakes the thread to notice.
    func stop() {
        queue.close()
        wake.signal()
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "portcullis-logs"
        thread.start()
    }

    // MARK: - The loop

    private func run() {
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256 * 1024)
        defer {
            scratch.deallocate()
            for file in files.values { file.close() }
            files.removeAll()
            wake.close()
        }
        var nextPoll = IO.monotonicNow() + pollInterval
        while true {
            if queue.isClosed { return }
            lock.lock()
            let commands = inbox
            inbox.removeAll()
            lock.unlock()
            for command in commands { apply(command) }

            let work = dirty
            dirty.removeAll()
            for path in work {
                guard let file = files[path] else { continue }
                switch file.refresh(scratch: scratch, sink: queue.push) {
                case .stopped: return
                case .more: dirty.insert(path)
                case .done: break
                }
                if syncWatches(file) { dirty.insert(path) }
            }

            let polling = inotify == nil || files.values.contains(where: needsPolling)
            let timeout: Int32
            if !dirty.isEmpty {
                timeout = 0
            } else if polling {
                timeout = Int32(max(0, min(Double(Int32.max), (nextPoll - IO.monotonicNow()) * 1000)).rounded(.up))
            } else {
                timeout = -1
            }
            var fds = [pollfd(fd: wake.readDescriptor, events: Int16(POLLIN), revents: 0)]
            if let inotify { fds.append(pollfd(fd: inotify.descriptor, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready > 0 {
                if fds[0].revents != 0 { wake.drain() }
                if fds.count > 1, fds[1].revents != 0, let inotify { note(inotify.readEvents()) }
            }
            let now = IO.monotonicNow()
            if now >= nextPoll {
                for (path, file) in files where needsPolling(file) { dirty.insert(path) }
                nextPoll = now + pollInterval
            } else if !polling {
                nextPoll = now + pollInterval
            }
        }
    }

    private func apply(_ command: Command) {
        switch command {
        case .add(let file):
            guard files[file.path] == nil else { return }
            files[file.path] = file
            dirty.insert(file.path)
            _ = syncWatches(file)
        case .remove(let path):
            guard let file = files.removeValue(forKey: path) else { return }
            dirty.remove(path)
            unwatchFile(path)
            unwatchFolder(of: path)
            file.close()
        }
    }

    /// Files the kernel does not tell us about: all with polling; with inotify those whose
    /// folder or file could not be watched, and those waiting for their name to reappear
    /// (a symlink's target folder is not watched).
    private func needsPolling(_ file: TailedFile) -> Bool {
        guard inotify != nil else { return true }
        if file.isDetached { return true }
        if folderWatch[Self.folder(of: file.path)] == nil { return true }
        if file.descriptor >= 0 && fileWatch[file.path]?.identity != file.identity { return true }
        return false
    }

    // MARK: - inotify bookkeeping

    private func note(_ events: [Inotify.Event]) {
        for event in events {
            if event.overflowed {
                dirty.formUnion(files.keys)
                continue
            }
            if let paths = fileWatchPaths[event.watch] {
                dirty.formUnion(paths)
                if event.ignored {
                    fileWatchPaths[event.watch] = nil
                    for path in paths where fileWatch[path]?.watch == event.watch { fileWatch[path] = nil }
                }
            }
            if let entry = folders[event.watch] {
                if !event.name.isEmpty {
                    if let paths = entry.names[event.name] { dirty.formUnion(paths) }
                } else if event.mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 {
                    // The folder itself went away: its files are polled until it is back.
                    if !event.ignored { inotify?.remove(event.watch) }
                    folders[event.watch] = nil
                    folderWatch[entry.folder] = nil
                    for paths in entry.names.values { dirty.formUnion(paths) }
                }
            }
        }
    }

    /// Points the watches at what `file` reads now; true when a file watch was (re)placed, so
    /// the file must be read again for what was written before the watch existed.
    private func syncWatches(_ file: TailedFile) -> Bool {
        guard let inotify else { return false }
        let folder = Self.folder(of: file.path)
        if folderWatch[folder] == nil {
            switch inotify.add(folder, mask: Inotify.directoryMask) {
            case .success(let wd):
                folderWatch[folder] = wd
                var entry = folders[wd] ?? (folder: folder, names: [:])
                entry.names[Self.name(of: file.path), default: []].insert(file.path)
                folders[wd] = entry
            case .failure(let e):
                if e.code != ENOENT && e.code != ENOTDIR { reportWatchFailure(folder, e) }
            }
        } else if let wd = folderWatch[folder] {
            folders[wd]?.names[Self.name(of: file.path), default: []].insert(file.path)
        }
        guard file.descriptor >= 0, let identity = file.identity else {
            unwatchFile(file.path)
            return false
        }
        if fileWatch[file.path]?.identity == identity { return false }
        unwatchFile(file.path)
        // Through /proc the watch lands on the very file we read, whatever the name leads to now.
        switch inotify.add("/proc/self/fd/\(file.descriptor)", mask: Inotify.fileMask) {
        case .success(let wd):
            fileWatch[file.path] = (wd, identity)
            fileWatchPaths[wd, default: []].insert(file.path)
            return true
        case .failure(let e):
            reportWatchFailure(file.path, e)
            return false
        }
    }

    private func unwatchFile(_ path: String) {
        guard let (wd, _) = fileWatch.removeValue(forKey: path) else { return }
        fileWatchPaths[wd]?.remove(path)
        if fileWatchPaths[wd]?.isEmpty ?? false {
            fileWatchPaths[wd] = nil
            inotify?.remove(wd)
        }
    }

    private func unwatchFolder(of path: String) {
        let folder = Self.folder(of: path)
        guard let wd = folderWatch[folder], var entry = folders[wd] else { return }
        let name = Self.name(of: path)
        entry.names[name]?.remove(path)
        if entry.names[name]?.isEmpty ?? false { entry.names[name] = nil }
        if entry.names.isEmpty {
            folders[wd] = nil
            for (name, watch) in folderWatch where watch == wd { folderWatch[name] = nil }
            inotify?.remove(wd)
        } else {
            folders[wd] = entry
        }
    }

    /// A watch that cannot be added (the watch limit, most often) is reported once; that file
    /// is polled instead.
    private func reportWatchFailure(_ path: String, _ error: Errno) {
        guard reportedWatchFailures.insert(path).inserted else { return }
        _ = queue.push(.error(.inotify(operation: "add watch (polling it instead)", path: path, errno: error.code)))
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
