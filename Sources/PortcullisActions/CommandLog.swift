import PortcullisConfig

/// Reports one command the way fail2ban's `fail2ban.utils` logger does, so administrators' log
/// watchers and habits keep working:
///
///     ERROR   7f3a9c2e1b40 -- exec: iptables -w -I f2b-sshd 1 -s 192.0.2.1 -j REJECT
///     ERROR   7f3a9c2e1b40 -- stderr: 'iptables: No chain/target/match by that name.'
///     ERROR   7f3a9c2e1b40 -- returned 1
///
/// A successful command logs `-- exec:` at TRACEDEBUG and its output and `-- returned
/// successfully 0` at DEBUG (a command the daemon carried out itself adds `-- carried out through
/// netlink, no shell started` at TRACEDEBUG); a timeout adds `-- timed out after N seconds.` and `-- killed with
/// SIGTERM (return code: -15)`.
struct CommandLog {
    static let logger = "fail2ban.utils"
    let sink: LogSink?

    func report(_ command: String, timeout: Double, result: CommandResult) {
        guard let sink else { return }
        let id = String(UInt64.random(in: 0x7F00_0000_0000...0x7FFF_FFFF_FFFF) & ~0xF, radix: 16)
        let level: LogLevel = result.succeeded ? .debug : .error
        sink(result.succeeded ? .traceDebug : .error, Self.logger, "\(id) -- exec: \(command)")
        if let carrier = result.carriedOutBy {
            sink(.traceDebug, Self.logger, "\(id) -- carried out through \(carrier), no shell started")
        }
        if result.timedOut {
            sink(.error, Self.logger, "\(id) -- timed out after \(ActionTags.pythonNumber(timeout)) seconds.")
        }
        for (stream, output) in [("stdout", result.stdout), ("stderr", result.stderr)] where !output.isEmpty {
            for line in output.split(separator: "\n", omittingEmptySubsequences: false).dropLast(output.hasSuffix("\n") ? 1 : 0) {
                sink(level, Self.logger, "\(id) -- \(stream): \(PythonRepr.string(String(line)))")
            }
        }
        if result.succeeded {
            sink(.debug, Self.logger, "\(id) -- returned successfully \(result.status)")
        } else if let killed = PythonText.killed(status: result.status) {
            sink(.error, Self.logger, "\(id) -- \(killed)")
        } else {
            sink(.error, Self.logger, "\(id) -- returned \(result.status)")
            if result.status == 127 {
                sink(.info, Self.logger, "HINT on 127: \"Command not found\".  Make sure every command in \(PythonRepr.string(command)) "
                    + "is in the PATH of the portcullis daemon (grep -a PATH= /proc/<daemon pid>/environ).")
            }
        }
    }
}
