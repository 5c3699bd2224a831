import ArgumentParser
import Foundation
import PortcullisClient
import PortcullisServer
#if canImport(Glibc)
import Glibc
#endif

/// `portcullis server`: the daemon, with `fail2ban-server`'s options, so init scripts and the
/// systemd unit written for fail2ban (`fail2ban-server -xf start`) start Portcullis unchanged.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the daemon: watch logs, ban through the jails' actions, answer the client.",
        discussion: """
        Reads DIR like fail2ban-server: fail2ban.conf/.local for the socket, pid file, database \
        and log target, then starts every enabled jail of jail.conf/jail.d/jail.local. Bans are \
        recorded in the database (dbfile) before any action runs and restored at the next start.

        Stop it with `portcullis client stop` or SIGTERM; SIGHUP reloads the configuration; \
        SIGUSR1 reopens the log file after logrotate.

        Examples:
          portcullis server -f                         foreground, /etc/fail2ban
          portcullis server -xf -c ./etc start         as the systemd unit runs it
          portcullis server -b -s /run/p.sock -p /run/p.pid
        """
    )

    @Option(name: [.customShort("c"), .customLong("conf")], help: ArgumentHelp("Configuration directory.", valueName: "DIR"))
    var configDirectory: String = "/etc/fail2ban"

    @Option(name: [.customShort("s"), .customLong("socket")], help: ArgumentHelp("Control socket (overrides fail2ban.conf's socket).", valueName: "FILE"))
    var socket: String?

    @Option(name: [.customShort("p"), .customLong("pidfile")], help: ArgumentHelp("Pid file (overrides fail2ban.conf's pidfile).", valueName: "FILE"))
    var pidFile: String?

    @Flag(name: .customShort("f"), help: "Stay in the foreground.")
    var foreground = false

    @Flag(name: .customShort("b"), help: "Start in the background (the default, as fail2ban-server).")
    var background = false

    @Flag(name: .customShort("x"), help: "Remove a stale socket left by a crashed server.")
    var removeStale = false

    @Flag(name: .customLong("async"), help: "Accepted for fail2ban-server compatibility.")
    var async = false

    @Flag(name: .customShort("v"), help: "More verbose (accepted; the log level comes from loglevel).")
    var verbose: Int

    @Flag(name: .customShort("q"), help: "Quieter (accepted for compatibility).")
    var quiet: Int

    @Argument(help: ArgumentHelp("fail2ban-server's trailing command (`start`), accepted and ignored.", valueName: "command"))
    var command: [String] = []

    func run() async throws {
        let configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration(configDirectory: configDirectory, socketPath: socket, pidFile: pidFile,
                                                    removeStaleSocket: removeStale)
        } catch {
            FileHandle.standardError.write(Data("ERROR  \(error)\n".utf8))
            throw ExitCode(255)
        }
        if !foreground {
            try Background.start(arguments: CommandLine.arguments, socketPath: configuration.socketPath)
            return
        }
        do {
            let daemon = try Daemon(configuration: configuration)
            try await daemon.run()
        } catch {
            FileHandle.standardError.write(Data("ERROR  \(error)\n".utf8))
            throw ExitCode(255)
        }
    }
}

/// Starting the daemon in the background without `fork()` (unsafe in a threaded runtime): the
/// same binary is spawned again with `-f` in a new session, and this process waits until the new
/// server answers on its socket.
enum Background {
    static func start(arguments: [String], socketPath: String, waitSeconds: Double = 30) throws {
        var childArguments = arguments.filter { $0 != "-b" }
        let serverWord = childArguments.firstIndex(of: "server").map { $0 + 1 } ?? 1
        childArguments.insert("-f", at: serverWord)
        // The same binary, whatever name it was started by; argv[0] keeps that name.
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? arguments[0]
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(0x80)) // POSIX_SPAWN_SETSID (glibc), not imported by Swift
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in [Int32(0), 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let argv = childArguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard status == 0 else {
            FileHandle.standardError.write(Data("ERROR  Could not start the server: \(String(cString: strerror(status)))\n".utf8))
            throw ExitCode(255)
        }
        let deadline = Date().addingTimeInterval(waitSeconds)
        while Date() < deadline {
            if ControlConnection.isAnswering(socketPath: socketPath) { return }
            var childStatus: Int32 = 0
            if waitpid(pid, &childStatus, WNOHANG) == pid {
                FileHandle.standardError.write(Data("ERROR  The server exited during start (status \(childStatus >> 8)); see its log target\n".utf8))
                throw ExitCode(255)
            }
            usleep(50_000)
        }
        FileHandle.standardError.write(Data("ERROR  The server did not answer on \(socketPath) within \(Int(waitSeconds)) s\n".utf8))
        throw ExitCode(255)
    }
}
