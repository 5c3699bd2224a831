import ArgumentParser
import PortcullisConfig
import PortcullisFilter
#if canImport(Glibc)
import Glibc
#endif

/// `portcullis regex` — a drop-in for `fail2ban-regex`: same arguments, same report, same
/// closing `Lines:` summary, plus `--json` for scripts.
struct RegexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regex",
        abstract: "Test a filter against a log file or a single line (fail2ban-regex).",
        discussion: """
        LOG is a log file, or a literal log line. FILTER is a filter name with optional options \
        (sshd, sshd[mode=aggressive]) looked up in CONFIG/filter.d, a path to a filter .conf file, \
        or a raw failregex. IGNOREREGEX, when given, is an ignoreregex (or a filter name).

        Examples:
          portcullis regex /var/log/auth.log sshd
          portcullis regex -c ./config /var/log/auth.log 'sshd[mode=aggressive]'
          portcullis regex 'Jan  5 10:00:00 host sshd[1]: Invalid user x from 192.0.2.7' sshd
          portcullis regex --json /var/log/auth.log sshd | jq 'select(.match)'
        """
    )

    @Argument(help: "A log file, or a single log line.") var log: String
    @Argument(help: "A filter name[options], a filter file, or a failregex.") var filter: String
    @Argument(help: "An ignoreregex (optional).") var ignoreRegex: String?

    @Option(name: [.short, .customLong("config")], help: "Configuration directory holding filter.d.")
    var config: String = "/etc/fail2ban"
    @Option(name: [.short, .customLong("datepattern")], help: "Date pattern overriding the filter's (e.g. '^%Y-%m-%d %H:%M:%S').")
    var datePattern: String?
    @Option(name: [.customLong("timezone"), .customLong("TZ")], help: "Time zone of log times without one (e.g. UTC, UTC+0200).")
    var timeZone: String?
    @Option(name: [.short, .customLong("encoding")], help: "Log encoding (UTF-8; invalid bytes are replaced).")
    var encoding: String = "UTF-8"
    @Flag(name: [.short, .customLong("raw")], help: "Report host names as written, without DNS lookups.")
    var raw = false
    @Option(name: .customLong("usedns"), help: "DNS use for host names: yes, warn, no or raw.")
    var useDns: String?
    @Option(name: [.customShort("L"), .customLong("maxlines")], help: "Lines buffered for multi-line regexes.")
    var maxLines: Int?
    @Option(name: .customShort("l"), help: ArgumentHelp("Maximum lines buffered (a number), or a log level (accepted for fail2ban-regex compatibility).", valueName: "maxlines|level"))
    var shortL: String?
    @Option(name: [.customShort("m"), .customLong("journalmatch")], help: "Journal match (journal input only).")
    var journalMatch: String?
    @Flag(name: [.short, .customLong("verbose")], help: "More detail (repeat for more).")
    var verbose: Int
    @Flag(name: .customLong("no-check-all"), help: "Stop at the first failregex that matches a line.")
    var noCheckAll = false
    @Flag(name: .customLong("print-no-missed"), help: "Do not print missed lines.") var printNoMissed = false
    @Flag(name: .customLong("print-no-ignored"), help: "Do not print ignored lines.") var printNoIgnored = false
    @Flag(name: .customLong("print-all-matched"), help: "Print all matched lines.") var printAllMatched = false
    @Flag(name: .customLong("print-all-missed"), help: "Print all missed lines, however many.") var printAllMissed = false
    @Flag(name: .customLong("print-all-ignored"), help: "Print all ignored lines, however many.") var printAllIgnored = false
    @Flag(name: .customLong("json"), help: "One JSON object per tested line instead of the report.")
    var json = false
    @Option(name: .customLong("now"), help: "Current time to assume, as epoch seconds (year inference, dateless lines).")
    var now: Double?

    mutating func validate() throws {
        if printNoMissed && printAllMissed { throw ValidationError("--print-no-missed and --print-all-missed are mutually exclusive.") }
        if printNoIgnored && printAllIgnored { throw ValidationError("--print-no-ignored and --print-all-ignored are mutually exclusive.") }
        if let useDns, !["yes", "warn", "no", "raw"].contains(useDns) {
            throw ValidationError("--usedns takes yes, warn, no or raw (got '\(useDns)').")
        }
    }

    func run() throws {
        var session = RegexSession(command: self)
        do {
            try session.run()
        } catch let error as RegexSession.Failure {
            session.output.write("ERROR: \(error.message)\n")
            session.output.flush()
            throw ExitCode(255)
        }
    }

    /// `-l` is fail2ban-regex's log level; a number there means maxlines.
    var effectiveMaxLines: Int? { maxLines ?? shortL.flatMap { Int($0) } }
}
