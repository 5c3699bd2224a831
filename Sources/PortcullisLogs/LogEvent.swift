/// What a `FileWatcher` reports, in order per file.
public enum LogEvent: Sendable {
    /// New complete lines of one file.
    case lines(LogBatch)
    /// The file was rotated: `how` says what was seen ("moved away and re-created",
    /// "deleted and re-created", "truncated", "rewritten"). Lines of the old file all come
    /// before this event, lines of the new one after.
    case rotated(path: String, how: String)
    /// The file does not exist: when added, or gone with no successor for longer than the poll
    /// interval (the instant between a rotation's rename and create is not reported).
    /// Watching goes on: a file appearing under the name is read from its beginning.
    /// Reported once per disappearance.
    case missing(path: String)
    /// Something failed on one file (e.g. permission denied); watching goes on.
    case error(LogSourceError)
}

/// One `logpath` entry of a jail: a path or glob, and how to start reading it (`nil`: the
/// daemon's default — its stored position and `findtime`).
public struct LogPathSpec: Sendable {
    public var pattern: String
    public var start: LogStart?

    public init(pattern: String, start: LogStart? = nil) {
        self.pattern = pattern
        self.start = start
    }

    /// Reads a jail's `logpath` value as fail2ban does: one entry per line, and a last word of
    /// `tail` (start at the end) or `head` (the default) after a space, in any case. Any other
    /// last word stays part of the path (where fail2ban would refuse the line).
    public static func parse(logpath value: String) -> [LogPathSpec] {
        value.split(separator: "\n").compactMap { raw -> LogPathSpec? in
            let line = raw.trimmingSpaces
            guard !line.isEmpty else { return nil }
            if let space = line.lastIndex(of: " ") {
                let word = line[line.index(after: space)...].lowercased()
                let path = String(line[..<space].trimmingSpaces)
                if word == "tail" { return LogPathSpec(pattern: path, start: .end) }
                if word == "head" { return LogPathSpec(pattern: path, start: nil) }
            }
            return LogPathSpec(pattern: String(line), start: nil)
        }
    }
}
