#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import PortcullisLogs

/// Writes a log the way daemons do — appends through one descriptor — and rotates it the ways
/// logrotate does, so tests can race a writer against the watcher.
final class LogWriter: @unchecked Sendable {
    let path: String
    private(set) var fd: Int32

    init(_ path: String, truncate: Bool = false) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0), 0o644)
        precondition(fd >= 0, "open \(path): \(String(cString: strerror(errno)))")
    }

    deinit { if fd >= 0 { close(fd) } }

    func write(_ text: String) {
        var bytes = Array(text.utf8)
        write(bytes: &bytes)
    }

    func write(bytes: inout [UInt8]) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            precondition(n > 0, "write \(path): \(String(cString: strerror(errno)))")
            done += n
        }
    }

    /// Writes lines "<prefix><i>" for i in `range`, one write each.
    func lines(_ range: Range<Int>, prefix: String = "line ") {
        for i in range { write("\(prefix)\(i)\n") }
    }

    /// logrotate's default: rename the file away, keep writing to the old descriptor (the daemon
    /// has not reopened yet), then `reopen()`.
    func rename(to newPath: String) {
        precondition(Glibc.rename(path, newPath) == 0)
    }

    /// logrotate's copytruncate: copy the content aside, then truncate in place.
    func copyTruncate(to copyPath: String) {
        let data = FileManager.default.contents(atPath: path) ?? Data()
        _ = FileManager.default.createFile(atPath: copyPath, contents: data)
        precondition(ftruncate(fd, 0) == 0)
    }

    /// The daemon reopening its log by name (after a rename or a delete).
    func reopen() {
        close(fd)
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        precondition(fd >= 0)
    }

    func unlinkFile() {
        precondition(unlink(path) == 0)
    }
}

/// "line 0" … "line n-1" style expectations.
func numbered(_ range: Range<Int>, prefix: String = "line ") -> [String] {
    range.map { "\(prefix)\($0)" }
}
