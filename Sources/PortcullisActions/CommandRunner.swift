#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import PortcullisSystem

/// Runs `/bin/sh -c COMMAND` in its own process group with a timeout; stdin /dev/null; captures
/// output.
///
/// Like fail2ban, a command that outlives its timeout gets SIGTERM sent to its whole process group,
/// then (after 0.2 s) SIGKILL to the group, so nothing it started lingers. The wait happens on a
/// dedicated thread blocked in `poll` on the output pipes and a pidfd, never on the cooperative
/// thread pool. Output beyond `outputLimit` bytes per stream is read and discarded. A script
/// longer than the kernel's single-argument limit (128 KiB: long `<matches>`) is written to a
/// private temporary file and run as `/bin/sh FILE`.
public struct CommandRunner: Sendable {
    public var shell: String
    /// Bytes kept per stream.
    public var outputLimit: Int
    /// Seconds between SIGTERM and SIGKILL on timeout.
    public var killGrace: Double
    /// The environment of every command run without one of its own; nil inherits the daemon's.
    public var environment: [String: String]?
    /// Asked first for each shell command: a command it carries out in-process never starts a shell.
    public var shortcut: (any CommandShortcut)?

    static let argumentLimit = 120_000

    public init() {
        self.init(shell: "/bin/sh")
    }

    public init(shell: String, outputLimit: Int = 1 << 20, killGrace: Double = 0.2, environment: [String: String]? = nil) {
        self.shell = shell
        self.outputLimit = outputLimit
        self.killGrace = killGrace
        self.environment = environment
    }

    /// - Parameter environment: the command's whole environment; nil takes the runner's.
    public func run(_ command: String, timeout: Double, environment: [String: String]? = nil) async -> CommandResult {
        if let result = shortcutResult(command) { return result }
        return await OwnThread.run(named: "portcullis-command") { self.runInShell(command, timeout: timeout, environment: environment) }
    }

    /// The same, blocking the calling thread.
    public func runBlocking(_ command: String, timeout: Double, environment: [String: String]? = nil) -> CommandResult {
        shortcutResult(command) ?? runInShell(command, timeout: timeout, environment: environment)
    }

    private func runInShell(_ command: String, timeout: Double, environment: [String: String]?) -> CommandResult {
        let start = LibC.monotonicNow()
        var scriptFile: String?
        defer { if let scriptFile { unlink(scriptFile) } }
        var arguments = [shell, "-c", command]
        if command.utf8.count > Self.argumentLimit {
            do {
                let file = try Self.writeScript(command)
                scriptFile = file
                arguments = [shell, file]
            } catch {
                return CommandResult(status: 127, stderr: "\(command.prefix(200))… -- failed with \(error.message)",
                                     duration: LibC.monotonicNow() - start)
            }
        }
        return execute(arguments, environment: environment ?? self.environment, stdin: nil, searchPath: false,
                       timeout: timeout, start: start)
    }

    /// The shortcut's result, when there is one and it took the command.
    private func shortcutResult(_ command: String) -> CommandResult? {
        guard let shortcut, let simple = SimpleCommand(command) else { return nil }
        let start = LibC.monotonicNow()
        guard var result = shortcut.run(simple) else { return nil }
        result.duration = LibC.monotonicNow() - start
        return result
    }

    /// Runs `arguments[0]` (looked up in PATH) with the rest directly, no shell, in its own process
    /// group with the same timeout, kill and capture rules; `input` is the program's whole
    /// standard input (nil: /dev/null).
    ///
    /// The input is written to an anonymous in-memory file first and handed over as stdin, so a
    /// megabyte-sized `nft -f -` script neither deadlocks against the child's output nor raises
    /// SIGPIPE in the daemon when the child exits early.
    public func run(arguments: [String], input: [UInt8]? = nil, timeout: Double) async -> CommandResult {
        await OwnThread.run(named: "portcullis-command") { self.runBlocking(arguments: arguments, input: input, timeout: timeout) }
    }

    /// The same, blocking the calling thread.
    public func runBlocking(arguments: [String], input: [UInt8]? = nil, timeout: Double) -> CommandResult {
        let start = LibC.monotonicNow()
        let program = arguments.first ?? ""
        var inputFile: Int32?
        defer { if let inputFile { close(inputFile) } }
        if let input {
            do {
                inputFile = try Self.anonymousFile(holding: input)
            } catch {
                return CommandResult(status: 127, stderr: "\(program) -- failed with \(error.message)",
                                     duration: LibC.monotonicNow() - start)
            }
        }
        return execute(arguments, environment: environment, stdin: inputFile, searchPath: true, timeout: timeout, start: start)
    }

    /// Spawns, waits (timeout, kill grace, output limits) and collects the result; the one path
    /// of both kinds of run. A spawn failure is status 127 with the reason on stderr.
    private func execute(_ arguments: [String], environment: [String: String]?, stdin: Int32?, searchPath: Bool,
                         timeout: Double, start: Double) -> CommandResult {
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(arguments: arguments, environment: environment, stdin: stdin, searchPath: searchPath)
        } catch {
            return CommandResult(status: 127, stderr: "\(arguments.first ?? "") -- failed with \(error.message)",
                                 duration: LibC.monotonicNow() - start)
        }
        var waiter = ChildWaiter(child: child, limit: outputLimit)
        let (status, timedOut) = waiter.wait(deadline: start + max(0, timeout), killGrace: killGrace)
        return CommandResult(status: status, stdout: waiter.stdout.text, stderr: waiter.stderr.text,
                             timedOut: timedOut, duration: LibC.monotonicNow() - start)
    }

    private static func writeScript(_ script: String) throws(ChildProcess.SpawnError) -> String {
        var template = Array((NSTemporaryDirectory() + "/portcullis-action-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .init(message: "mkstemp: \(ChildProcess.errorText(errno))") }
        defer { close(fd) }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do {
            try writeAll(Array(script.utf8), to: fd)
        } catch {
            unlink(path)
            throw .init(message: "write \(path): \(error.message)")
        }
        return path
    }

    /// A close-on-exec descriptor of an unnamed file holding `bytes`, positioned at its start:
    /// `memfd_create`, or an unlinked temporary file where that is missing.
    private static func anonymousFile(holding bytes: [UInt8]) throws(ChildProcess.SpawnError) -> Int32 {
        var fd = LibC.memfdCreate("portcullis-input")
        if fd == nil {
            var template = Array((NSTemporaryDirectory() + "/portcullis-input-XXXXXX").utf8CString)
            let made = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard made >= 0 else { throw .init(message: "mkstemp: \(ChildProcess.errorText(errno))") }
            _ = fcntl(made, F_SETFD, FD_CLOEXEC)
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            fd = made
        }
        guard let fd else { throw .init(message: "memfd_create: \(ChildProcess.errorText(errno))") }
        do {
            try writeAll(bytes, to: fd)
        } catch {
            close(fd)
            throw error
        }
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            close(fd)
            throw .init(message: "lseek: \(ChildProcess.errorText(errno))")
        }
        return fd
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32) throws(ChildProcess.SpawnError) {
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .init(message: ChildProcess.errorText(errno))
            }
            written += n
        }
    }
}

/// Collects a child's output until it exits, enforcing the deadline.
struct ChildWaiter {
    struct Capture {
        var fd: Int32
        var bytes: [UInt8] = []
        var limit: Int
        var open = true
        var text: String { String(decoding: bytes, as: UTF8.self) }

        /// Reads what is there; false at end of file or error.
        mutating func read() -> Bool {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { LibC.read(fd, $0) }
                if n > 0 {
                    if bytes.count < limit { bytes += buffer[0..<min(n, limit - bytes.count)] }
                    return true
                }
                if n < 0 && errno == EINTR { continue }
                if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return true }
                finish()
                return false
            }
        }

        mutating func finish() {
            if open { close(fd) }
            open = false
        }
    }

    let child: ChildProcess
    var stdout: Capture
    var stderr: Capture
    private var exitStatus: Int32?

    init(child: ChildProcess, limit: Int) {
        self.child = child
        stdout = Capture(fd: child.stdout, limit: limit)
        stderr = Capture(fd: child.stderr, limit: limit)
    }

    /// Waits for exit (killing the group at `deadline`), then drains what the pipes already hold.
    mutating func wait(deadline: Double, killGrace: Double) -> (status: Int32, timedOut: Bool) {
        let pidfd = LibC.pidfdOpen(child.pid)
        defer { if let pidfd { close(pidfd) } }
        var timedOut = false
        var killAt: Double?
        var pollStep = 0.001
        while exitStatus == nil {
            let now = LibC.monotonicNow()
            if !timedOut, now >= deadline {
                timedOut = true
                kill(-child.pid, SIGTERM)
                killAt = now + killGrace
            }
            if let due = killAt, now >= due {
                kill(-child.pid, SIGKILL)
                killAt = nil
                reap(blocking: true)
                break
            }
            let until = killAt ?? deadline
            var wait = max(0, until - now)
            if pidfd == nil {
                wait = min(wait, pollStep)
                pollStep = min(pollStep * 2, 0.05)
            }
            pollOnce(pidfd: pidfd, timeout: wait)
            reap(blocking: false)
        }
        if timedOut, killAt != nil {
            // The shell ended within the grace; what it left in its group goes too, as in fail2ban.
            kill(-child.pid, SIGKILL)
        }
        drain()
        return (exitStatus ?? -SIGKILL, timedOut)
    }

    private mutating func pollOnce(pidfd: Int32?, timeout: Double) {
        var fds: [pollfd] = []
        if stdout.open { fds.append(pollfd(fd: stdout.fd, events: Int16(POLLIN), revents: 0)) }
        if stderr.open { fds.append(pollfd(fd: stderr.fd, events: Int16(POLLIN), revents: 0)) }
        if let pidfd { fds.append(pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)) }
        let milliseconds = Int32(min(timeout * 1000, 3_600_000).rounded(.up))
        let ready = poll(&fds, nfds_t(fds.count), milliseconds)
        guard ready > 0 else { return }
        for entry in fds where entry.revents != 0 {
            if entry.fd == stdout.fd, stdout.open { _ = stdout.read() }
            if entry.fd == stderr.fd, stderr.open { _ = stderr.read() }
        }
    }

    private mutating func reap(blocking: Bool) {
        var status: Int32 = 0
        while true {
            let result = waitpid(child.pid, &status, blocking ? 0 : WNOHANG)
            if result == child.pid {
                exitStatus = ChildProcess.exitCode(status)
                return
            }
            if result < 0 && errno == EINTR { continue }
            if result < 0 { exitStatus = exitStatus ?? -1 }
            return
        }
    }

    /// Everything written before the shell exited is in the pipes now; what a still-running
    /// background child writes later is not waited for.
    private mutating func drain() {
        for capture in [stdout, stderr] where capture.open {
            _ = fcntl(capture.fd, F_SETFL, fcntl(capture.fd, F_GETFL) | O_NONBLOCK)
        }
        while stdout.open {
            let before = stdout.bytes.count
            if !stdout.read() || stdout.bytes.count == before { break }
        }
        while stderr.open {
            let before = stderr.bytes.count
            if !stderr.read() || stderr.bytes.count == before { break }
        }
        stdout.finish()
        stderr.finish()
    }
}
