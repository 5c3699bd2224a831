#if canImport(Glibc)
import Glibc
#endif

/// Why a log source could not do what it was asked. Each case carries what an administrator
/// needs to act on it — the path, the failed operation and the system's own words for errno —
/// because "cannot read log" alone sends them guessing.
public enum LogSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed on a file: `operation` ("open", "read", "stat"…), the path, errno.
    case system(operation: String, path: String, errno: Int32)
    /// The path exists but names something that cannot be tailed (a directory, a socket…).
    case notARegularFile(path: String)
    /// inotify could not be set up, or a watch could not be added (`path` is what was watched).
    case inotify(operation: String, path: String?, errno: Int32)
    /// An sd-journal call failed; `code` is the negative errno it returned.
    case journal(operation: String, detail: String?, code: Int32)
    /// A journalmatch term is not of the form "FIELD=value".
    case invalidJournalMatch(term: String)

    /// The C library's text for an errno value, e.g. "No such file or directory".
    public static func errnoText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }

    public var description: String {
        switch self {
        case let .system(operation, path, code):
            return "\(operation) \(path): \(Self.errnoText(code)) (errno \(code))"
        case let .notARegularFile(path):
            return "\(path) is not a regular file; only files can be watched as logs"
        case let .inotify(operation, path, code):
            let hint = code == ENOSPC || code == EMFILE
                ? " (raise fs.inotify.max_user_watches / max_user_instances, or use backend = polling)" : ""
            return "inotify \(operation)\(path.map { " \($0)" } ?? ""): \(Self.errnoText(code))\(hint)"
        case let .journal(operation, detail, code):
            return "systemd journal \(operation)\(detail.map { " (\($0))" } ?? ""): \(Self.errnoText(-code))"
        case let .invalidJournalMatch(term):
            return "journalmatch term \"\(term)\" is not FIELD=value (separate alternatives with \" + \")"
        }
    }
}
