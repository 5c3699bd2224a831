import Foundation
import PortcullisTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A Portcullis daemon run for real, inside the host namespace of a `NamespacePair`, on a copy
/// of Debian's stock fail2ban tree with a test jail in `jail.local`.
final class DaemonHarness: @unchecked Sendable {
    let namespaces: NamespacePair
    let directory: TemporaryDirectory
    let binary: String
    var configDirectory: String { directory.path + "/etc" }
    var socket: String { directory.path + "/p.sock" }
    var logFile: String { directory.path + "/auth.log" }
    var daemonLog: String { directory.path + "/portcullis.log" }
    private var process: Process?

    /// The test jail `[e2e]`: the stock sshd filter on the harness' log, banning with `banaction`
    /// through `action_`; `extra` lines are added to the section.
    static func jail(banaction: String, ignoreip: String = "", bantime: String = "1h", extra: [String] = []) -> String {
        """
        [DEFAULT]
        ignoreself = false
        ignoreip = \(ignoreip)

        [e2e]
        enabled = true
        filter = sshd
        backend = auto
        logpath = @LOG@
        maxretry = 3
        findtime = 10m
        bantime = \(bantime)
        banaction = \(banaction)
        action = %(action_)s

        """ + extra.map { $0 + "\n" }.joined()
    }

    /// Copies the stock tree and writes `fail2ban.local` (everything under the temp folder) and
    /// `jail.local` with `jail` (the text of the test jail's section(s)).
    init(namespaces: NamespacePair, jail: String) throws {
        self.namespaces = namespaces
        directory = try TemporaryDirectory(prefix: "portcullis-e2e")
        binary = try PortcullisBinary.path()
        let stock = try DebianFail2ban.configDirectory().path
        try Command.check(["cp", "-R", stock, configDirectory])
        try directory.write("etc/fail2ban.local", """
            [Definition]
            loglevel = INFO
            logtarget = \(daemonLog)
            socket = \(socket)
            pidfile = \(directory.path)/p.pid
            dbfile = \(directory.path)/p.sqlite3

            """)
        // Portcullis' own actions (native sets), as `make install` adds them to an existing tree.
        let ours = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/action.d").path
        for name in ["portcullis-nftables.conf", "portcullis-ipset.conf"] {
            try Command.check(["cp", ours + "/" + name, configDirectory + "/action.d/" + name])
        }
        try directory.write("etc/jail.local", jail.replacingOccurrences(of: "@LOG@", with: logFile))
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
    }

    /// Starts `portcullis server -f` in the host namespace and waits until it answers `ping`.
    func start(timeout: Double = 20) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns", "exec", namespaces.host, binary, "server", "-f", "-x", "-c", configDirectory]
        // The daemon reads log times in UTC, as the lines are written (other suites change TZ).
        process.environment = ProcessInfo.processInfo.environment.merging(["TZ": "UTC"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        self.process = process
        try waitUntil("the server answers ping", timeout: timeout) { (try? self.client(["ping"]))?.status == 0 }
    }

    /// Kills the daemon without letting it clean up (SIGKILL), as a crash or OOM would.
    func kill9() {
        guard let process else { return }
        // `ip netns exec` execs the binary, so the pid is the daemon's own.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// `client stop`, then waits for the process to exit.
    func stop() throws {
        guard let process else { return }
        _ = try? client(["stop"])
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill9() }
        self.process = nil
    }

    @discardableResult
    func client(_ words: [String]) throws -> CommandOutput {
        try Command.run([binary, "client", "-s", socket] + words)
    }

    /// Appends sshd failures for `address` with the current time, as sshd writes them.
    func appendFailures(address: String, count: Int, user: String = "root") throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "MMM dd HH:mm:ss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        var text = ""
        for i in 0..<count {
            text += "\(formatter.string(from: Date())) gate sshd[\(4000 + i)]: Failed password for \(user) from \(address) port \(50000 + i) ssh2\n"
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// The files the running daemon has mapped (`/proc/PID/maps`), one line per mapping.
    func mappings() throws -> String {
        guard let process else { return "" }
        // `cat`: Foundation reads a /proc file's reported size (0), not always all of it.
        return try Command.check(["cat", "/proc/\(process.processIdentifier)/maps"])
    }

    /// The daemon's log so far.
    func logText() -> String { (try? String(contentsOfFile: daemonLog, encoding: .utf8)) ?? "" }

    func remove() {
        try? stop()
        directory.remove()
    }
}
