/// `fail2ban-client`'s output for a command and its reply, line for line as fail2ban's
/// beautifier prints it, so scripts that parse `fail2ban-client` output keep working.
///
/// The reply shapes it reshapes (the server must send these, as fail2ban's transmitter does):
///
/// | command | reply | printed |
/// |---|---|---|
/// | `ping` | `"pong"` | `Server replied: pong` |
/// | `status` | pairs `[["Number of jail", n], ["Jail list", "a, b"]]` | the `Status` tree |
/// | `status <jail> [flavor]` | `[["Filter", pairs], ["Actions", pairs]]` | the `Status for the jail:` tree |
/// | `start <jail>` / `stop <jail>` / `stop` | `null` | `Jail started` / `Jail stopped` / `Shutdown successful` |
/// | `add <jail> …` | the name | `Added jail <name>` |
/// | `flushlogs` | `"rolled over"` or `"flushed"` | `logs: …` |
/// | `echo …` | list of strings | joined by spaces |
/// | `get\|set loglevel` | level name (or number) | `Current logging level is 'INFO'` |
/// | `get\|set logtarget`, `syslogsocket`, `dbfile` | string (`dbfile`: or `null`) | two-line `Current … is:` text |
/// | `get\|set dbpurgeage` | int seconds or `null` | `` `- 86400seconds `` |
/// | `get\|set <jail> logpath`, `ignoreip` (and add/del forms) | list of strings | `\|-`/`` `- `` tree or "No …" |
/// | `get\|set <jail> failregex`, `ignoreregex` (and add/del forms) | list of strings | numbered tree |
/// | `get\|set <jail> journalmatch` (and add/del forms) | list of lists of strings | ` + `-joined |
/// | `get\|set <jail> datepattern` | `[pattern, name]`, `[null, name]` or `null` | `Current date pattern set to: …` |
/// | `get\|set <jail> logencoding` | string | `Current log encoding is set to:` |
/// | `get <jail> actions` | list of names | comma-joined, or "No actions for jail" |
/// | `get <jail> actionproperties\|actionmethods <act>` | list of names | comma-joined |
/// | `get <jail> banip [sep\|--with-time]` | list of strings | joined by the separator (newlines with `--with-time`) |
///
/// Every other reply (`version`, `banned`, `get <jail> bantime`, `set <jail> banip` counts, …)
/// prints with Python's `str()` (`600`, `None`, `True`, `['a', 'b']`). When a reply has the
/// wrong shape for its command, fail2ban prints `repr(reply)` twice after logging a warning;
/// so does this.
public enum Beautifier {
    /// The text printed on stdout (no trailing newline) for a successful reply.
    public static func format(command: [String], response: ControlValue) -> String {
        do {
            return try beautify(command, response) ?? PythonText.str(response)
        } catch {
            return PythonText.repr(response) + PythonText.repr(response)
        }
    }

    /// The text printed on stdout for a failed command: the server already sends fail2ban's
    /// wording (see `ControlResponse.unknownJail` and friends), so it is printed as is.
    public static func formatError(command: [String], message: String) -> String {
        message
    }

    /// The ERROR line fail2ban also logs on stderr for a failed command, without the log
    /// prefix: `NOK: ('message',)`.
    public static func errorLogMessage(_ message: String) -> String {
        "NOK: (" + PythonText.repr(string: message) + ",)"
    }

    /// The reshaped text, or nil when the reply is printed with `str()`.
    private static func beautify(_ command: [String], _ response: ControlValue) throws(PythonTypeError) -> String? {
        guard let first = command.first else { return nil }
        switch first {
        case "ping":
            return "Server replied: " + (try PythonSequence.string(response))
        case "version":
            return nil
        case "start":
            return "Jail started"
        case "stop":
            guard response == .null else { return nil }
            return command.count == 1 ? "Shutdown successful" : "Jail stopped"
        case "add":
            return "Added jail " + (try PythonSequence.string(response))
        case "flushlogs":
            return "logs: " + (try PythonSequence.string(response))
        case "echo":
            return try PythonSequence.join(" ", response)
        case "status":
            return try command.count > 1
                ? StatusTree.jail(command[1], response)
                : StatusTree.server(response)
        default:
            break
        }
        guard command.count >= 2 else { return nil }
        if let text = try serverSetting(command[1], response) { return text }
        guard command.count >= 3 else { return nil }
        return try jailSetting(command, response)
    }

    /// `get|set syslogsocket|logtarget|loglevel|dbfile|dbpurgeage`.
    private static func serverSetting(_ word: String, _ response: ControlValue) throws(PythonTypeError) -> String? {
        switch word {
        case "syslogsocket":
            return "Current syslog socket is:\n`- " + (try PythonSequence.string(response))
        case "logtarget":
            return "Current logging target is:\n`- " + (try PythonSequence.string(response))
        case "loglevel":
            return "Current logging level is " + PythonText.repr(LogLevelName.name(response))
        case "dbfile":
            if response == .null { return "Database currently disabled" }
            return "Current database file is:\n`- " + (try PythonSequence.string(response))
        case "dbpurgeage":
            if response == .null { return "Database currently disabled" }
            return "Current database purge age is:\n`- \(try integerFormat(response))seconds"
        default:
            return nil
        }
    }

    /// `get|set <jail> <word> …`.
    private static func jailSetting(_ command: [String], _ response: ControlValue) throws(PythonTypeError) -> String? {
        let jail = command[1]
        switch command[2] {
        case "logpath", "addlogpath", "dellogpath":
            return try treeList(response, empty: "No file is currently monitored",
                                heading: "Current monitored log file(s):")
        case "logencoding":
            return "Current log encoding is set to:\n" + (try PythonSequence.string(response))
        case "journalmatch", "addjournalmatch", "deljournalmatch":
            let matches = try PythonSequence.items(response)
            if matches.isEmpty { return "No journal match filter set" }
            var alternatives: [String] = []
            for match in matches { alternatives.append(try PythonSequence.join(" ", match)) }
            return "Current match filter:\n" + alternatives.joined(separator: " + ")
        case "datepattern":
            return "Current date pattern set to: " + (try datePattern(response))
        case "ignoreip", "addignoreip", "delignoreip":
            return try treeList(response, empty: "No IP address/network is ignored",
                                heading: "These IP addresses/networks are ignored:")
        case "failregex", "addfailregex", "delfailregex", "ignoreregex", "addignoreregex", "delignoreregex":
            return try numberedList(response)
        case "actions":
            let names = try PythonSequence.items(response)
            if names.isEmpty { return "No actions for jail \(jail)" }
            return "The jail \(jail) has the following actions:\n" + (try PythonSequence.join(", ", response))
        case "actionproperties", "actionmethods":
            guard command.count >= 4 else { throw PythonTypeError() }
            let kind = command[2] == "actionproperties" ? "properties" : "methods"
            let names = try PythonSequence.items(response)
            if names.isEmpty { return "No \(kind) for jail \(jail) action \(command[3])" }
            return "The jail \(jail) action \(command[3]) has the following \(kind):\n"
                + (try PythonSequence.join(", ", response))
        case "banip" where command[0] == "get":
            guard case .list = response else { return nil }
            var separator = command.count <= 3 ? " " : command[3]
            if separator == "--with-time" { separator = "\n" }
            return try PythonSequence.join(separator, response)
        default:
            return nil
        }
    }

    /// `|- a` … `` `- z`` under a heading, or the `empty` sentence.
    private static func treeList(_ response: ControlValue, empty: String, heading: String) throws(PythonTypeError) -> String {
        let items = try PythonSequence.items(response)
        guard let last = items.last else { return empty }
        var text = heading + "\n"
        for item in items.dropLast() { text += "|- " + (try PythonSequence.string(item)) + "\n" }
        return text + "`- " + (try PythonSequence.string(last))
    }

    /// `|- [0]: regex` … `` `- [n]: regex``.
    private static func numberedList(_ response: ControlValue) throws(PythonTypeError) -> String {
        let items = try PythonSequence.items(response)
        guard let last = items.last else { return "No regular expression is defined" }
        var text = "The following regular expression are defined:\n"
        for (index, item) in items.dropLast().enumerated() {
            text += "|- [\(index)]: " + (try PythonSequence.string(item)) + "\n"
        }
        return text + "`- [\(items.count - 1)]: " + (try PythonSequence.string(last))
    }

    /// A `(pattern, name)` pair, `(None, name)`, or `None`.
    private static func datePattern(_ response: ControlValue) throws(PythonTypeError) -> String {
        if response == .null { return "Not set/required" }
        let first = try PythonSequence.element(response, 0)
        let second = try PythonSequence.element(response, 1)
        if first == .null { return PythonText.str(second) }
        guard case .list(let pair) = response, pair.count == 2 else { throw PythonTypeError() }
        return PythonText.str(first) + " (" + PythonText.str(second) + ")"
    }

    /// Python's `"%i" % value`.
    private static func integerFormat(_ value: ControlValue) throws(PythonTypeError) -> String {
        switch value {
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "1" : "0"
        case .double(let number) where abs(number) < 9.2e18: return String(Int(number.rounded(.towardZero)))
        default: throw PythonTypeError()
        }
    }
}
