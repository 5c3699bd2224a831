/// How file changes are noticed: the `backend` option of a jail, for file logs.
///
/// `systemd` is not a file backend (see `JournalReader`), so `init?(configValue:)` rejects it
/// and the daemon routes it elsewhere.
public enum LogBackend: String, Sendable, CaseIterable {
    /// inotify when the kernel gives us an instance, polling otherwise (fail2ban's `auto`).
    case auto
    /// Kernel notifications on the files and their folders: millisecond latency, no idle cost.
    case inotify
    /// A `stat` of every file each poll interval: works on any file system (NFS, FUSE…).
    case polling

    /// Reads a jail's `backend` value. fail2ban's `pyinotify` and `gamin` backends both
    /// mean "notify me", so they map to `.inotify`. Options in brackets are ignored here.
    public init?(configValue: String) {
        var name = Substring(configValue)
        if let bracket = name.firstIndex(of: "[") { name = name[..<bracket] }
        switch name.trimmingSpaces.lowercased() {
        case "auto": self = .auto
        case "inotify", "pyinotify", "gamin": self = .inotify
        case "polling": self = .polling
        default: return nil
        }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeLast() }
        return s
    }
}
