import Foundation
import PortcullisConfig
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The daemon's log, written in fail2ban's format so that everything reading fail2ban's log keeps
/// working: the stock `recidive` jail, logwatch, people's grep habits.
///
///     2026-11-21 08:30:00,123 fail2ban.actions        [4242]: NOTICE  [sshd] Ban 192.0.2.1
///
/// Targets are fail2ban's: a file path (appended, reopened by `flushlogs` for logrotate),
/// `STDOUT`, `STDERR`, `SYSLOG` (the `/dev/log` datagram socket, no time stamp, no padding) and
/// `SYSTEMD-JOURNAL` (sent to syslog the same way).
///
/// A jail reading a burst of lines logs a `Found` line per failure; one `write(2)` each made the
/// log the daemon's largest cost. While a jail works through a batch (``holdWrites()`` …
/// ``releaseWrites()``) lines are gathered and written together when the batch is done, when
/// 64 KiB are pending or when the oldest waited 100 ms — so nothing waits long and the order of
/// lines is kept.
public final class ServerLog: Sendable {
    private struct State {
        var level: LogLevel
        var target: String
        var descriptor: Int32
        var isSyslog: Bool
        /// Lines formatted but not yet written (file and stream targets only).
        var pending: [UInt8] = []
        var pendingSince = 0.0
        /// Batches in progress that asked for lines to be gathered.
        var holds = 0
        /// The time stamp's text up to the milliseconds for `second` (`2026-11-21 08:30:00,`):
        /// a burst logs thousands of lines in the same second, and formatting it for each line
        /// was a large part of a `Found` line's cost.
        var second = -1.0
        var secondText: [UInt8] = []
    }
    private let state: Mutex<State>
    private let pid = getpid()
    /// `[PID]: `, the same on every line.
    private let pidText: [UInt8]
    private let syslogSocket: String

    /// Opens `target` at `level`. A file target that cannot be opened is an error naming the path.
    public init(target: String, level: LogLevel, syslogSocket: String = "auto") throws(ServerError) {
        self.syslogSocket = syslogSocket == "auto" ? "/dev/log" : syslogSocket
        pidText = Array("[\(pid)]: ".utf8)
        let (descriptor, isSyslog) = try Self.open(target: target, syslogSocket: self.syslogSocket)
        state = Mutex(State(level: level, target: target, descriptor: descriptor, isSyslog: isSyslog))
    }

    deinit {
        state.withLock { s in
            Self.writePending(&s)
            if s.descriptor > 2 { close(s.descriptor) }
        }
    }

    public var level: LogLevel {
        get { state.withLock { $0.level } }
        set { state.withLock { $0.level = newValue } }
    }

    public var target: String { state.withLock { $0.target } }

    /// Switches to another target (`set logtarget`); the old one stays when the new one fails.
    public func setTarget(_ target: String) throws(ServerError) {
        let (descriptor, isSyslog) = try Self.open(target: target, syslogSocket: syslogSocket)
        state.withLock { s in
            Self.writePending(&s)
            if s.descriptor > 2 { close(s.descriptor) }
            s = State(level: s.level, target: target, descriptor: descriptor, isSyslog: isSyslog, holds: s.holds)
        }
    }

    /// Reopens a file target (after logrotate moved it away). Returns fail2ban's reply.
    public func flush() -> String {
        let target = self.target
        guard !Self.streamTargets.contains(target.uppercased()) else { return "flushed" }
        do { try setTarget(target); return "rolled over" } catch { return "flushed" }
    }

    /// Writes one message when `level` passes the current threshold (the message is only built
    /// then).
    public func log(_ level: LogLevel, _ logger: String, _ message: @autoclosure () -> String) {
        log(level, logger) { $0.append(contentsOf: message().utf8) }
    }

    /// Writes one message that `appendMessage` appends as bytes, when `level` passes the current
    /// threshold: the per-failure `Found` line is written straight into the pending buffer
    /// instead of being interpolated into a `String` first (three allocations per failure).
    public func log(_ level: LogLevel, _ logger: String, appendMessage: (inout [UInt8]) -> Void) {
        state.withLock { s in
            guard level >= s.level else { return }
            if s.isSyslog {
                var message: [UInt8] = []
                appendMessage(&message)
                Self.send("<\(Self.syslogPriority(level))>\(logger)[\(pid)]: \(level.name) \(String(decoding: message, as: UTF8.self))", to: s.descriptor)
                return
            }
            let now = Clock.now()
            if s.pending.isEmpty { s.pendingSince = now }
            Self.appendTime(now, to: &s)
            Self.append(logger, paddedTo: 24, to: &s.pending)
            s.pending.append(contentsOf: pidText)
            Self.append(level.name, paddedTo: 7, to: &s.pending)
            s.pending.append(UInt8(ascii: " "))
            appendMessage(&s.pending)
            s.pending.append(UInt8(ascii: "\n"))
            if s.holds == 0 || s.pending.count >= 65_536 || now - s.pendingSince >= 0.1 {
                Self.writePending(&s)
            }
        }
    }

    /// Gathers lines until the matching ``releaseWrites()`` (a jail's batch of log lines).
    public func holdWrites() {
        state.withLock { $0.holds += 1 }
    }

    /// Ends a ``holdWrites()``; the gathered lines are written when no other batch holds them.
    public func releaseWrites() {
        state.withLock { s in
            s.holds = max(0, s.holds - 1)
            if s.holds == 0 { Self.writePending(&s) }
        }
    }

    /// Python logging's `asctime` and a space: local `YYYY-MM-DD HH:MM:SS,mmm `.
    private static func appendTime(_ now: Double, to s: inout State) {
        let second = now.rounded(.down)
        if second != s.second {
            s.second = second
            s.secondText = Array((Clock.text(second) + ",").utf8)
        }
        s.pending.append(contentsOf: s.secondText)
        let milliseconds = Int(min(999, (now - second) * 1000))
        s.pending.append(UInt8(ascii: "0") + UInt8(milliseconds / 100))
        s.pending.append(UInt8(ascii: "0") + UInt8(milliseconds / 10 % 10))
        s.pending.append(UInt8(ascii: "0") + UInt8(milliseconds % 10))
        s.pending.append(UInt8(ascii: " "))
    }

    private static func append(_ text: String, paddedTo width: Int, to buffer: inout [UInt8]) {
        let before = buffer.count
        buffer.append(contentsOf: text.utf8)
        let written = buffer.count - before
        if written < width { buffer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - written)) }
    }

    private static func writePending(_ s: inout State) {
        guard !s.pending.isEmpty else { return }
        s.pending.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(s.descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; break }
                offset += n
            }
        }
        s.pending.removeAll(keepingCapacity: s.pending.count <= 65_536)
    }

    /// One syslog datagram.
    private static func send(_ datagram: String, to descriptor: Int32) {
        var datagram = datagram
        datagram.withUTF8 { bytes in
            while write(descriptor, bytes.baseAddress!, bytes.count) < 0 && errno == EINTR {}
        }
    }

    /// A `LogSink` for the stages (actions, log sources) to report through.
    public var sink: LogSink { { [self] level, logger, message in self.log(level, logger, message) } }

    static let streamTargets: Set<String> = ["STDOUT", "STDERR", "SYSLOG", "SYSOUT", "SYSTEMD-JOURNAL"]

    private static func open(target: String, syslogSocket: String) throws(ServerError) -> (Int32, Bool) {
        switch target.uppercased() {
        case "STDOUT", "SYSOUT": return (1, false)
        case "STDERR": return (2, false)
        case "SYSLOG", "SYSTEMD-JOURNAL":
            let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { throw ServerError.logTarget(target, String(cString: strerror(errno))) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let path = Array(syslogSocket.utf8)
            guard path.count < MemoryLayout.size(ofValue: address.sun_path) else {
                close(fd); throw ServerError.logTarget(target, "syslog socket path too long: \(syslogSocket)")
            }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: path)
                raw[path.count] = 0
            }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard connected == 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw ServerError.logTarget(target, "Syslog socket file: \(syslogSocket) does not exist or is not a socket (\(reason))")
            }
            return (fd, true)
        default:
            let fd = Glibc.open(target, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
            guard fd >= 0 else { throw ServerError.logTarget(target, "Unable to log to '\(target)': \(String(cString: strerror(errno)))") }
            return (fd, false)
        }
    }

    private static func syslogPriority(_ level: LogLevel) -> Int {
        let facilityDaemon = 3 << 3
        let severity: Int = switch level {
        case .critical: 2
        case .error: 3
        case .warning: 4
        case .notice: 5
        case .info: 6
        default: 7
        }
        return facilityDaemon | severity
    }
}
