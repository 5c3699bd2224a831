import Testing
import PortcullisClient

@Suite struct ClientCommandLineTests {
    private func parse(_ line: String) throws(ClientUsageError) -> ClientCommandLine {
        try ClientCommandLine.parse(line.split(separator: " ").map(String.init))
    }

    @Test func defaults() throws {
        let line = try parse("status")
        #expect(line.action == .run)
        #expect(line.command == ["status"])
        #expect(line.configDirectory == nil)
        #expect(line.socketPath == nil)
        #expect(line.verbosity == 1)
        #expect(line.timeout == 30)
        #expect(line.json == false)
        #expect(line.background)
        #expect(try ClientCommandLine.parse([]).command == [])
    }

    @Test func optionsAndCommand() throws {
        let line = try parse("-c /tmp/conf -s /tmp/x.sock -p /tmp/x.pid -vvq -x -i get sshd banip --with-time")
        #expect(line.configDirectory == "/tmp/conf")
        #expect(line.socketPath == "/tmp/x.sock")
        #expect(line.pidFile == "/tmp/x.pid")
        #expect(line.verbosity == 2)
        #expect(line.force && line.interactive)
        #expect(line.command == ["get", "sshd", "banip", "--with-time"])
    }

    @Test func attachedArgumentsAndLongForms() throws {
        let line = try parse("-s/run/a.sock --conf=/etc/f2b --pidfile /run/p --json -q -q -f status")
        #expect(line.socketPath == "/run/a.sock")
        #expect(line.configDirectory == "/etc/f2b")
        #expect(line.pidFile == "/run/p")
        #expect(line.json)
        #expect(line.verbosity == -1)
        #expect(!line.background)
        #expect(line.command == ["status"])
    }

    @Test func uniquePrefixesOfLongOptions() throws {
        #expect(try parse("--sock /tmp/s status").socketPath == "/tmp/s")
        #expect(try parse("--dump status").dump == .pretty)
        #expect(try parse("--dp").dump == .pretty)
        #expect(try parse("-d").dump == .plain)
        #expect(try parse("--js status").json)
    }

    @Test func optionsStopAtTheCommandOrDoubleDash() throws {
        #expect(try parse("-s /tmp/q.sock status -v").command == ["status", "-v"])
        #expect(try parse("-s /tmp/q.sock status -- x").command == ["status", "--", "x"])
        let line = try parse("-vv -- -q status")
        #expect(line.verbosity == 3)
        #expect(line.command == ["-q", "status"])
        #expect(try parse("- status").command == ["-", "status"])
    }

    @Test func timeout() throws {
        #expect(try parse("--timeout 5 status").timeout == 5)
        #expect(try parse("--timeout 1m status").timeout == 60)
        #expect(try parse("--timeout=1.5 ping").timeout == 1.5)
        #expect(throws: ClientUsageError.invalidTime(option: "--timeout", value: "abc")) { try parse("--timeout abc status") }
        #expect(try parse("-h --timeout abc").action == .help)
    }

    @Test func immediateActionsInOrder() throws {
        #expect(try parse("-h").action == .help)
        #expect(try parse("--help status").action == .help)
        #expect(try parse("-V").action == .version(short: true))
        #expect(try parse("--version").action == .version(short: false))
        #expect(try parse("-V -h").action == .version(short: true))
        #expect(try parse("--str2sec 1h30m").action == .str2sec(5400))
        #expect(try parse("--str2sec 1mo").action == .str2sec(2629800.0))
        #expect(throws: ClientUsageError.invalidTime(option: "--str2sec", value: "soon")) { try parse("--str2sec soon") }
    }

    @Test func usageErrors() {
        #expect(throws: ClientUsageError.unrecognizedOption("--bogus")) { try parse("--bogus status") }
        #expect(throws: ClientUsageError.unrecognizedOption("-z")) { try parse("-vz status") }
        #expect(throws: ClientUsageError.ambiguousOption("--d")) { try parse("--d") }
        #expect(throws: ClientUsageError.missingArgument("-s")) { try parse("-s") }
        #expect(throws: ClientUsageError.missingArgument("--socket")) { try parse("--socket") }
        #expect(throws: ClientUsageError.unexpectedArgument("--help")) { try parse("--help=x") }
        // Option errors are found before any option is acted on.
        #expect(throws: ClientUsageError.unrecognizedOption("--bogus")) { try parse("-h --bogus") }
        #expect(ClientUsageError.unrecognizedOption("--bogus").description == "option --bogus not recognized")
        #expect(ClientUsageError.unrecognizedOption("--bogus").showsUsage)
        #expect(!ClientUsageError.invalidTime(option: "--timeout", value: "x").showsUsage)
    }

    @Test func serverOverrides() throws {
        let line = try parse("--loglevel DEBUG --logtarget STDOUT --syslogsocket auto --pname f2b --async -t -b start")
        #expect(line.logLevel == "DEBUG")
        #expect(line.logTarget == "STDOUT")
        #expect(line.syslogSocket == "auto")
        #expect(line.processName == "f2b")
        #expect(line.async && line.test && line.background)
        #expect(line.command == ["start"])
    }
}

@Suite struct TimeExpressionTests {
    @Test(arguments: [
        ("600", ControlValue.int(600)), ("-1", -1), ("1.5", 1.5), ("10m", 600), ("1h30m", 5400), ("1h 30m", 5400),
        ("0d 1h 30m", 5400), ("1hour+30min", 5400), ("1d12h", 129600), ("2w", 1_209_600), ("1 h", 3600),
        ("1h30", 3630), ("1mo", 2629800.0), ("6 months", 15778800.0), ("1year-6mo", 15778800.0), ("1y", 31557600.0),
        ("3600/2", 1800.0), ("(1h+1m)*2", 7320), ("90S", 90), ("5 Seconds", 5),
    ])
    func evaluates(text: String, expected: ControlValue) {
        #expect(TimeExpression.seconds(text) == expected)
    }

    @Test(arguments: ["", "abc", "h", "1x", "1h+", "(1", "1/0", "1..2"])
    func rejects(text: String) {
        #expect(TimeExpression.seconds(text) == nil)
    }
}
