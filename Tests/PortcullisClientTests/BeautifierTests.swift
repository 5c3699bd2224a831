import Testing
import PortcullisClient

/// Expected strings are `fail2ban-client` 1.0.2's stdout, captured against a real
/// `fail2ban-server` (private socket, dummy actions) for the same replies.
@Suite struct BeautifierTests {
    private func format(_ command: String, _ response: ControlValue) -> String {
        Beautifier.format(command: command.split(separator: " ").map(String.init), response: response)
    }

    @Test func serverStatusWithSeveralJails() {
        let reply = ControlValue.pairs([("Number of jail", 3), ("Jail list", "apache-auth, empty, sshd")])
        #expect(format("status", reply) == """
            Status
            |- Number of jail:\t3
            `- Jail list:\tapache-auth, empty, sshd
            """)
    }

    @Test func serverStatusWithoutJails() {
        let reply = ControlValue.pairs([("Number of jail", 0), ("Jail list", "")])
        #expect(format("status", reply) == "Status\n|- Number of jail:\t0\n`- Jail list:\t")
    }

    static let sshdStatus = ControlValue.pairs([
        ("Filter", .pairs([
            ("Currently failed", 0), ("Total failed", 0),
            ("File list", ["/tmp/f2bref/auth.log", "/tmp/f2bref/auth2.log"]),
        ])),
        ("Actions", .pairs([
            ("Currently banned", 2), ("Total banned", 2), ("Banned IP list", ["1.2.3.4", "5.6.7.8"]),
        ])),
    ])

    @Test func jailStatusWithFilesAndBans() {
        #expect(format("status sshd", Self.sshdStatus) == """
            Status for the jail: sshd
            |- Filter
            |  |- Currently failed:\t0
            |  |- Total failed:\t0
            |  `- File list:\t/tmp/f2bref/auth.log /tmp/f2bref/auth2.log
            `- Actions
               |- Currently banned:\t2
               |- Total banned:\t2
               `- Banned IP list:\t1.2.3.4 5.6.7.8
            """)
        #expect(format("status sshd basic", Self.sshdStatus) == format("status sshd", Self.sshdStatus))
    }

    @Test func jailStatusShort() {
        let reply = ControlValue.pairs([
            ("Filter", .pairs([
                ("Currently failed", 0), ("Total failed", 0),
                ("File list", ["/tmp/f2bref/auth.log", "/tmp/f2bref/auth2.log"]),
            ])),
            ("Actions", .pairs([("Currently banned", 2), ("Total banned", 2)])),
        ])
        #expect(format("status sshd short", reply) == """
            Status for the jail: sshd
            |- Filter
            |  |- Currently failed:\t0
            |  |- Total failed:\t0
            |  `- File list:\t/tmp/f2bref/auth.log /tmp/f2bref/auth2.log
            `- Actions
               |- Currently banned:\t2
               `- Total banned:\t2
            """)
    }

    @Test func jailStatusEmptyLists() {
        let reply = ControlValue.pairs([
            ("Filter", .pairs([("Currently failed", 0), ("Total failed", 0), ("File list", [])])),
            ("Actions", .pairs([
                ("Currently banned", 2), ("Total banned", 2), ("Banned IP list", ["2001:db8::1", "10.1.2.3"]),
            ])),
        ])
        #expect(format("status empty", reply) == """
            Status for the jail: empty
            |- Filter
            |  |- Currently failed:\t0
            |  |- Total failed:\t0
            |  `- File list:\t
            `- Actions
               |- Currently banned:\t2
               |- Total banned:\t2
               `- Banned IP list:\t2001:db8::1 10.1.2.3
            """)
    }

    @Test func jailStatusCymru() {
        let reply = ControlValue.pairs([
            ("Filter", .pairs([("Currently failed", 0), ("Total failed", 0), ("File list", ["/tmp/f2bref/auth.log"])])),
            ("Actions", .pairs([
                ("Currently banned", 1), ("Total banned", 1), ("Banned IP list", ["1.2.3.4"]),
                ("Banned ASN list", "error"), ("Banned Country list", "error"), ("Banned RIR list", "error"),
            ])),
        ])
        #expect(format("status sshd cymru", reply) == """
            Status for the jail: sshd
            |- Filter
            |  |- Currently failed:\t0
            |  |- Total failed:\t0
            |  `- File list:\t/tmp/f2bref/auth.log
            `- Actions
               |- Currently banned:\t1
               |- Total banned:\t1
               |- Banned IP list:\t1.2.3.4
               |- Banned ASN list:\terror
               |- Banned Country list:\terror
               `- Banned RIR list:\terror
            """)
    }

    @Test func banned() {
        let all: ControlValue = [["sshd": ["1.2.3.4", "5.6.7.8"]], ["apache-auth": ["9.9.9.9"]], ["empty": []]]
        #expect(format("banned", all) == "[{'sshd': ['1.2.3.4', '5.6.7.8']}, {'apache-auth': ['9.9.9.9']}, {'empty': []}]")
        #expect(format("banned 1.2.3.4 7.7.7.7", [["sshd"], []]) == "[['sshd'], []]")
        #expect(format("get sshd banned", ["1.2.3.4", "5.6.7.8"]) == "['1.2.3.4', '5.6.7.8']")
        #expect(format("get sshd banned 1.2.3.4", 1) == "1")
    }

    @Test func banIP() {
        let addresses: ControlValue = ["1.2.3.4", "5.6.7.8"]
        #expect(format("get sshd banip", addresses) == "1.2.3.4 5.6.7.8")
        #expect(format("get sshd banip ,", addresses) == "1.2.3.4,5.6.7.8")
        #expect(format("get empty banip", []) == "")
        let timed: ControlValue = [
            "1.2.3.4 \t2026-11-21 08:30:43 + 600 = 2026-11-21 08:40:43",
            "5.6.7.8 \t2026-11-21 08:30:43 + 600 = 2026-11-21 08:40:43",
        ]
        #expect(format("get sshd banip --with-time", timed) == """
            1.2.3.4 \t2026-11-21 08:30:43 + 600 = 2026-11-21 08:40:43
            5.6.7.8 \t2026-11-21 08:30:43 + 600 = 2026-11-21 08:40:43
            """)
        #expect(format("set sshd banip 1.2.3.4 5.6.7.8", 2) == "2")
        #expect(format("set empty banip 10.1.2.3", 0) == "0")
        #expect(format("set sshd unbanip 1.2.3.4", 1) == "1")
        #expect(format("unban 5.6.7.8 4.4.4.4", 1) == "1")
        #expect(format("unban --all", 1) == "1")
    }

    @Test func actions() {
        #expect(format("get sshd actions", ["dummy"]) == "The jail sshd has the following actions:\ndummy")
        #expect(format("get sshd actions", ["iptables", "sendmail"])
            == "The jail sshd has the following actions:\niptables, sendmail")
        #expect(format("get empty actions", []) == "No actions for jail empty")
        #expect(format("get sshd actionproperties dummy", ["actionban", "actname", "init"])
            == "The jail sshd action dummy has the following properties:\nactionban, actname, init")
        #expect(format("get sshd actionmethods dummy", ["ban", "flush"])
            == "The jail sshd action dummy has the following methods:\nban, flush")
        #expect(format("get sshd actionmethods dummy", []) == "No methods for jail sshd action dummy")
        let actionban = "printf %b \"+<ip>\\n\" >> /tmp/f2bref/dummy.txt\necho \"[sshd] dummy /tmp/f2bref/dummy.txt -- banned <ip> (family: <family>)\""
        #expect(format("get sshd action dummy actionban", .string(actionban)) == actionban)
        #expect(format("get sshd action dummy init", "123") == "123")
    }

    @Test func ignoreIP() {
        #expect(format("get sshd ignoreip", ["127.0.0.0/8", "::1"]) == """
            These IP addresses/networks are ignored:
            |- 127.0.0.0/8
            `- ::1
            """)
        #expect(format("set sshd addignoreip 1.1.1.1", ["127.0.0.0/8", "::1", "1.1.1.1"]) == """
            These IP addresses/networks are ignored:
            |- 127.0.0.0/8
            |- ::1
            `- 1.1.1.1
            """)
        #expect(format("get sshd ignoreip", []) == "No IP address/network is ignored")
    }

    @Test func logPath() {
        #expect(format("get sshd logpath", ["/tmp/f2bref/auth.log", "/tmp/f2bref/auth2.log"]) == """
            Current monitored log file(s):
            |- /tmp/f2bref/auth.log
            `- /tmp/f2bref/auth2.log
            """)
        #expect(format("set empty dellogpath /tmp/f2bref/web.log", []) == "No file is currently monitored")
    }

    @Test func regexLists() {
        let regexes: ControlValue = [
            "^[aA]uthentication (?:failure|error|failed) for (?P<user>.*) from <HOST>$",
            "^User not known to the underlying authentication module for .* from <HOST>$",
            "foo <HOST>",
        ]
        #expect(format("get sshd failregex", regexes) == """
            The following regular expression are defined:
            |- [0]: ^[aA]uthentication (?:failure|error|failed) for (?P<user>.*) from <HOST>$
            |- [1]: ^User not known to the underlying authentication module for .* from <HOST>$
            `- [2]: foo <HOST>
            """)
        #expect(format("get empty failregex", []) == "No regular expression is defined")
        #expect(format("get sshd ignoreregex", []) == "No regular expression is defined")
        #expect(format("set sshd delfailregex 0", ["a"]) == "The following regular expression are defined:\n`- [0]: a")
    }

    @Test func serverSettings() {
        #expect(format("ping", "pong") == "Server replied: pong")
        #expect(format("ping 2", "pong") == "Server replied: pong")
        #expect(format("version", "1.0.2") == "1.0.2")
        #expect(format("get loglevel", "INFO") == "Current logging level is 'INFO'")
        #expect(format("set loglevel DEBUG", "DEBUG") == "Current logging level is 'DEBUG'")
        #expect(format("get loglevel", 25) == "Current logging level is 'NOTICE'")
        #expect(format("get loglevel", 21) == "Current logging level is '#21-Lev.'")
        #expect(format("get logtarget", "/tmp/f2bref/f2b.log") == "Current logging target is:\n`- /tmp/f2bref/f2b.log")
        #expect(format("get syslogsocket", "auto") == "Current syslog socket is:\n`- auto")
        #expect(format("get dbfile", ":memory:") == "Current database file is:\n`- :memory:")
        #expect(format("get dbfile", nil) == "Database currently disabled")
        #expect(format("get dbpurgeage", 86400) == "Current database purge age is:\n`- 86400seconds")
        #expect(format("set dbpurgeage 1d", 86400) == "Current database purge age is:\n`- 86400seconds")
        #expect(format("get dbpurgeage", nil) == "Database currently disabled")
        #expect(format("get dbmaxmatches", 10) == "10")
        #expect(format("get thread", ["stacksize": 0]) == "{'stacksize': 0}")
        #expect(format("flushlogs", "rolled over") == "logs: rolled over")
        #expect(format("echo hello world", ["hello", "world"]) == "hello world")
        #expect(format("echo", []) == "")
        #expect(format("server-status", "Server ready") == "Server ready")
        #expect(format("reload", "OK") == "OK")
        #expect(format("stop", nil) == "Shutdown successful")
        #expect(format("stop newjail", nil) == "Jail stopped")
        #expect(format("start newjail", nil) == "Jail started")
        #expect(format("add newjail polling", "newjail") == "Added jail newjail")
    }

    @Test func jailSettings() {
        #expect(format("get sshd bantime", 600) == "600")
        #expect(format("set empty bantime -1", -1) == "-1")
        #expect(format("get sshd maxretry", 5) == "5")
        #expect(format("get sshd usedns", "warn") == "warn")
        #expect(format("get sshd logencoding", "UTF-8") == "Current log encoding is set to:\nUTF-8")
        #expect(format("get sshd datepattern", [nil, "Default Detectors"]) == "Current date pattern set to: Default Detectors")
        #expect(format("get sshd datepattern", ["%Y-%m-%d", "Year-Month-Day"])
            == "Current date pattern set to: %Y-%m-%d (Year-Month-Day)")
        #expect(format("get sshd datepattern", nil) == "Current date pattern set to: Not set/required")
        #expect(format("get sshd logtimezone", nil) == "None")
        #expect(format("get sshd journalmatch", []) == "No journal match filter set")
        #expect(format("get sshd journalmatch", [["_SYSTEMD_UNIT=sshd.service", "+", "_COMM=sshd"], ["_COMM=x"]])
            == "Current match filter:\n_SYSTEMD_UNIT=sshd.service + _COMM=sshd + _COMM=x")
        #expect(format("get sshd ignoreself", true) == "True")
        #expect(format("get sshd ignorecommand", false) == "False")
        #expect(format("get sshd bantime.increment", nil) == "None")
        #expect(format("set sshd bantime.increment true", true) == "True")
        #expect(format("set sshd idle on", true) == "True")
        #expect(format("set sshd bantime.factor 1.5", 1.5) == "1.5")
    }

    @Test func errors() {
        #expect(Beautifier.formatError(command: ["status", "nosuch"], message: "Sorry but the jail 'nosuch' does not exist")
            == "Sorry but the jail 'nosuch' does not exist")
        #expect(ControlResponse.unknownJail("nosuch") == .failure("Sorry but the jail 'nosuch' does not exist"))
        #expect(ControlResponse.invalidCommand == .failure("Sorry but the command is invalid"))
        #expect(ControlResponse.unknownCommand == .failure("Invalid command"))
        #expect(ControlResponse.unknownGetCommand == .failure("Invalid command (no get action or not yet implemented)"))
        #expect(ControlResponse.unknownSetCommand("nosuch")
            == .failure("Invalid command 'nosuch' (no set action or not yet implemented)"))
        #expect(ControlResponse.invalidStatusCommand == .failure("Invalid command (no status)"))
        #expect(ControlResponse.keyError("Invalid Action name: nosuch") == .failure("'Invalid Action name: nosuch'"))
        #expect(ControlResponse.duplicateJail("sshd") == .failure("The jail 'sshd' already exists"))
        #expect(Beautifier.errorLogMessage("Invalid command") == "NOK: ('Invalid command',)")
        #expect(Beautifier.errorLogMessage("not banned: ['1.2.3.4']") == "NOK: (\"not banned: ['1.2.3.4']\",)")
    }

    @Test func malformedRepliesPrintTheirReprTwice() {
        #expect(format("ping", 1) == "11")
        #expect(format("get sshd actions", 3) == "33")
        #expect(format("status", "x") == "'x''x'")
    }
}
