import PortcullisConfig

/// The `fail2ban-client` command line, parsed as fail2ban parses it: the same options, the same
/// `getopt` rules (options stop at the first command word or `--`; unique long prefixes), the
/// same defaults — plus Portcullis's `--json`. Pure parsing: the executable acts on the result.
///
/// Options are applied in order, as fail2ban applies them: the first of `-h`, `-V`/`--version`
/// or `--str2sec` ends processing (`-V -h` prints the version), and a bad `--timeout` before
/// it is an error while one after it is never looked at.
public struct ClientCommandLine: Sendable, Equatable {
    /// What the invocation asks for besides a command.
    public enum Action: Sendable, Equatable {
        /// Run `command` (or interactive mode / usage when it is empty).
        case run
        /// `-h`, `--help`: print the usage text.
        case help
        /// `-V` (short: the bare version number) or `--version` ("Fail2Ban v…").
        case version(short: Bool)
        /// `--str2sec EXPR`: print these seconds (`PythonText.str` prints `5400` or `2629800.0`).
        case str2sec(ControlValue)
    }

    /// How `-d` / `--dp` asked for the configuration dump.
    public enum DumpStyle: Sendable, Equatable {
        case plain
        case pretty
    }

    /// fail2ban's default configuration directory.
    public static let defaultConfigDirectory = "/etc/fail2ban"
    /// fail2ban's `MAX_WAITTIME`: how long to wait for a starting or stopping server.
    public static let defaultTimeout: Double = 30

    public var action: Action = .run
    /// `-c`, `--conf`; nil means `defaultConfigDirectory`.
    public var configDirectory: String?
    /// `-s`, `--socket`; nil means the `socket` of fail2ban.conf.
    public var socketPath: String?
    /// `-p`, `--pidfile`.
    public var pidFile: String?
    /// 1 by default; each `-v` adds one, each `-q` takes one away.
    public var verbosity: Int = 1
    /// `--timeout` in seconds (fail2ban's time abbreviations allowed): how long to wait for the
    /// server to start or stop.
    public var timeout: Double = ClientCommandLine.defaultTimeout
    /// `--json`: machine-readable output for the commands `JSONOutput` knows.
    public var json: Bool = false
    /// The command words after the options.
    public var command: [String] = []
    /// `-x`: take over the socket of a dead server.
    public var force: Bool = false
    /// `-b` (default) or `-f` (`false`): start the server in the background or foreground.
    public var background: Bool = true
    /// `-d` or `--dp`/`--dump-pretty`.
    public var dump: DumpStyle?
    /// `-t`, `--test`: test the configuration.
    public var test: Bool = false
    /// `-i`: interactive mode.
    public var interactive: Bool = false
    /// `--async`.
    public var async: Bool = false
    /// `--loglevel`, `--logtarget`, `--syslogsocket`, `--pname`: overrides of fail2ban.conf.
    public var logLevel: String?
    public var logTarget: String?
    public var syslogSocket: String?
    public var processName: String?

    public init() {}

    private static let scanner = OptionScanner(
        short: [
            "h": false, "c": true, "s": true, "p": true, "x": false, "f": false, "b": false, "d": false,
            "t": false, "v": false, "i": false, "q": false, "V": false,
        ],
        long: [
            "loglevel": true, "logtarget": true, "syslogsocket": true, "test": false, "async": false,
            "conf": true, "pidfile": true, "pname": true, "socket": true, "timeout": true, "str2sec": true,
            "help": false, "version": false, "dp": false, "dump-pretty": false, "json": false,
        ])

    /// Parses the arguments after the program name (`CommandLine.arguments.dropFirst()`).
    public static func parse(_ arguments: [String]) throws(ClientUsageError) -> ClientCommandLine {
        let (options, operands) = try scanner.scan(arguments)
        var line = ClientCommandLine()
        line.command = operands
        for option in options {
            let value = option.argument ?? ""
            switch option.name {
            case "-c", "--conf": line.configDirectory = value
            case "-s", "--socket": line.socketPath = value
            case "-p", "--pidfile": line.pidFile = value
            case "-d": line.dump = .plain
            case "--dp", "--dump-pretty": line.dump = .pretty
            case "-t", "--test": line.test = true
            case "-v": line.verbosity += 1
            case "-q": line.verbosity -= 1
            case "-x": line.force = true
            case "-i": line.interactive = true
            case "-b": line.background = true
            case "-f": line.background = false
            case "--async": line.async = true
            case "--json": line.json = true
            case "--loglevel": line.logLevel = value
            case "--logtarget": line.logTarget = value
            case "--syslogsocket": line.syslogSocket = value
            case "--pname": line.processName = value
            case "--timeout":
                guard let seconds = TimeAbbreviation.evaluate(value) else {
                    throw .invalidTime(option: option.name, value: value)
                }
                line.timeout = seconds.value
            case "--str2sec":
                guard let seconds = TimeExpression.seconds(value) else {
                    throw .invalidTime(option: option.name, value: value)
                }
                line.action = .str2sec(seconds)
                return line
            case "-h", "--help":
                line.action = .help
                return line
            case "-V", "--version":
                line.action = .version(short: option.name == "-V")
                return line
            default:
                break
            }
        }
        return line
    }
}
