#if canImport(Glibc)
import Glibc
#endif

/// The pid file init scripts and `fail2ban-client` tooling look for; removed at a clean stop.
struct PidFile: Sendable {
    let path: String

    func write() throws(ServerError) {
        let text = "\(getpid())\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .pidFile(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        let written = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        guard written == text.utf8.count else { throw .pidFile(path, String(cString: strerror(errno))) }
    }

    func remove() { unlink(path) }
}
