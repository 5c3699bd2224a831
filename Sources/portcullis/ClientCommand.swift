import ArgumentParser
import Foundation
import PortcullisClient
import PortcullisConfig
import PortcullisServer
#if canImport(Glibc)
import Glibc
#endif

/// `portcullis client`: `fail2ban-client`, with its options, commands and output, so scripts
/// and cron jobs written for fail2ban keep working. The words after the options go to the
/// server as they are; see `portcullis client -h`.
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "Talk to the daemon: status, ban, unban, get and set, reload, stop (fail2ban-client).",
        discussion: "Run `portcullis client -h` for its commands. Invoked as `fail2ban-client`, the binary behaves the same.")

    @Argument(parsing: .captureForPassthrough, help: "fail2ban-client's options and command.")
    var arguments: [String] = []

    func run() async throws {
        let status = await ClientMain.run(arguments)
        if status != 0 { throw ExitCode(status) }
    }
}

/// The client's whole run, with fail2ban-client's exit codes: 0 on success, 255 on any error.
enum ClientMain {
    static func run(_ arguments: [String]) async -> Int32 {
        let line: ClientCommandLine
        do {
            line = try ClientCommandLine.parse(arguments)
        } catch {
            if error.showsUsage { print(usage) } else { printError("ERROR: \(error)") }
            return 255
        }
        switch line.action {
        case .help:
            print(usage)
            return 0
        case .version(let short):
            print(short ? PortcullisVersion.fail2banCompatible : PortcullisVersion.description)
            return 0
        case .str2sec(let value):
            print(PythonText.str(value))
            return 0
        case .run:
            break
        }
        let configDirectory = line.configDirectory ?? ClientCommandLine.defaultConfigDirectory
        if line.test || line.dump != nil {
            return configCheck(configDirectory: configDirectory, dump: line.dump != nil)
        }
        guard !line.command.isEmpty else {
            print(usage)
            return 255
        }
        let socketPath: String
        if let explicit = line.socketPath {
            socketPath = explicit
        } else {
            do { socketPath = try FailBanSettings.read(configDirectory: configDirectory).socket } catch {
                printError("ERROR  \(error)")
                return 255
            }
        }
        switch line.command[0] {
        case "start" where line.command.count == 1:
            return startServer(line, configDirectory: configDirectory, socketPath: socketPath)
        case "restart" where line.command.count == 1:
            _ = send(["stop"], line, socketPath: socketPath, quiet: true)
            waitUntilStopped(socketPath: socketPath, timeout: line.timeout)
            return startServer(line, configDirectory: configDirectory, socketPath: socketPath)
        case "stop" where line.command.count == 1:
            let status = send(["stop"], line, socketPath: socketPath, quiet: false)
            if status == 0 { waitUntilStopped(socketPath: socketPath, timeout: line.timeout) }
            return status
        default:
            return send(line.command, line, socketPath: socketPath, quiet: false)
        }
    }

    /// Sends one command and prints the reply as fail2ban-client does.
    static func send(_ command: [String], _ line: ClientCommandLine, socketPath: String, quiet: Bool) -> Int32 {
        var timeout = Double.infinity
        if command.first == "ping" { timeout = command.count > 1 ? Double(command[1]) ?? 1 : 1 }
        let response: ControlResponse
        do {
            response = try ControlConnection.send(command, socketPath: socketPath, timeout: timeout)
        } catch {
            printError(error.message(forCommand: command))
            return 255
        }
        switch response {
        case .ok(let value):
            guard !quiet else { return 0 }
            if line.json, let json = JSONOutput.format(command: command, response: value) {
                print(json)
            } else {
                print(Beautifier.format(command: command, response: value))
            }
            return 0
        case .failure(let message):
            guard !quiet else { return 255 }
            if line.json {
                print(JSONOutput.formatError(command: command, message: message))
            } else {
                printError("ERROR  \(Beautifier.errorLogMessage(message))")
                print(Beautifier.formatError(command: command, message: message))
            }
            return 255
        }
    }

    /// `start`: launches `portcullis server -b` on the same tree and socket.
    static func startServer(_ line: ClientCommandLine, configDirectory: String, socketPath: String) -> Int32 {
        if ControlConnection.isAnswering(socketPath: socketPath) {
            printError("ERROR  Server already running")
            return 255
        }
        var arguments = [CommandLine.arguments[0], "server", "-b", "-c", configDirectory, "-s", socketPath]
        if let pidFile = line.pidFile { arguments += ["-p", pidFile] }
        if line.force { arguments.append("-x") }
        // Invoked as fail2ban-client, the child would dispatch as the client again; ProcessInfo's
        // argv[0] is the resolved executable (`portcullis`), so the child runs `portcullis server`.
        if ((CommandLine.arguments[0] as NSString).lastPathComponent) == "fail2ban-client" {
            arguments[0] = ProcessInfo.processInfo.arguments[0]
        }
        do {
            try Background.start(arguments: arguments, socketPath: socketPath, waitSeconds: line.timeout)
            return 0
        } catch {
            return 255
        }
    }

    static func waitUntilStopped(socketPath: String, timeout: Double) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, ControlConnection.isAnswering(socketPath: socketPath, timeout: 0.5) { usleep(50_000) }
    }

    /// `-t` and `-d`: the config check and dump of `portcullis config`.
    static func configCheck(configDirectory: String, dump: Bool) -> Int32 {
        let result = ConfigCheck.run(configDirectory: configDirectory, forceEnable: false, allowMissingLogs: true)
        // Only `.json` can throw (encoding); the verdict and the dump cannot.
        return (try? result.report(dump ? .dump : .verdict)) ?? 255
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static let usage = """
        Usage: fail2ban-client [OPTIONS] <COMMAND>

        Portcullis \(PortcullisVersion.version) — the fail2ban-client commands, for the Portcullis daemon.

        Options:
            -c, --conf <DIR>        configuration directory (default /etc/fail2ban)
            -s, --socket <FILE>     control socket (default: fail2ban.conf's socket)
            -p, --pidfile <FILE>    pid file (default: fail2ban.conf's pidfile)
            -d                      dump the configuration (for debugging)
            --dp, --dump-pretty     dump the configuration, pretty
            -t, --test              test the configuration
            -v / -q                 more / less verbose
            -x                      with start: remove a stale socket
            -b / -f                 with start: server in the background (default) / foreground
            --timeout <TIME>        how long start and stop wait for the server (default 30 s)
            --str2sec <STRING>      convert a time abbreviation (1d12h) to seconds
            --json                  status, banned and banip replies as JSON
            -h, --help              this help
            -V, --version           the version

        Commands:
            start                       start the server and its jails
            restart [<JAIL>]            restart the server, or one jail
            reload [--restart] [--unban] [--all|<JAIL>]
                                        re-read the configuration
            reban                       apply every current ban to the firewall again
            stop                        stop every jail and the server
            unban --all | <IP> ...      lift bans in every jail
            banned [<IP> ...]           the banned addresses (of every jail)
            status [<JAIL> [basic|short]]
                                        the server's or a jail's status
            ping                        check the server answers
            version                     the server's version
            flushlogs                   reopen the log file (after logrotate)
            set loglevel|logtarget|dbpurgeage|dbmaxmatches <VALUE>
            get loglevel|logtarget|dbfile|dbpurgeage|dbmaxmatches
            set <JAIL> banip|unbanip [--report-absent] <IP> ...
            set <JAIL> unbanall
            set <JAIL> bantime|findtime|maxretry|maxmatches|usedns <VALUE>
            set <JAIL> addignoreip|delignoreip <IP> | ignoreself <BOOL> | ignorecommand <CMD>
            set <JAIL> idle on|off
            set <JAIL> action <ACT> <PROPERTY> <VALUE>
            get <JAIL> banip [--with-time] | banned [<IP> ...]
            get <JAIL> bantime|findtime|maxretry|maxmatches|maxlines|usedns|ignoreip|ignoreself
            get <JAIL> logpath|journalmatch|failregex|ignoreregex|prefregex|datepattern
            get <JAIL> actions | action <ACT> actionban|actionunban|actionstart|actionstop|<PROPERTY>
        """
}
