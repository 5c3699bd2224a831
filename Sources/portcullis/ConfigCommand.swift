import ArgumentParser
import PortcullisConfig

/// `portcullis config`: checks a fail2ban tree the way `fail2ban-client -t` does, and with
/// `--dump` prints what `fail2ban-client -d` prints, so a tree can be verified before switching.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check (and dump) a fail2ban configuration tree.",
        discussion: """
        Reads DIR exactly as fail2ban does: jail.conf, jail.d/*.conf, jail.local, jail.d/*.local \
        (plus [INCLUDES] such as paths-debian.conf), each enabled jail's filter.d/ and action.d/ \
        files with their .local overrides, and fail2ban.conf(.local).

        Without options it checks the tree like `fail2ban-client -t`: prints \
        "OK: configuration test is successful" or each error as file:line: message and exits non-zero.

        Examples:
          portcullis config                       check /etc/fail2ban
          portcullis config -c ./etc/fail2ban --dump
          portcullis config --dump --json | jq '.jails[].name'
        """
    )

    @Option(name: [.customShort("c"), .customLong("conf")], help: ArgumentHelp("Configuration directory.", valueName: "DIR"))
    var configDirectory: String = "/etc/fail2ban"

    @Flag(help: "Print each enabled jail fully resolved, as the commands `fail2ban-client -d` prints.")
    var dump = false

    @Flag(help: "Print the resolved configuration as JSON (implies --dump).")
    var json = false

    @Flag(name: .customLong("all-jails"), help: "Check every jail as if it were enabled (fail2ban checks only enabled ones).")
    var allJails = false

    @Flag(name: .customLong("require-logs"), help: "Treat a jail whose logpath matches no file as an error, as `fail2ban-client -t` does (default: warning).")
    var requireLogs = false

    func run() throws {
        let result = ConfigCheck.run(configDirectory: configDirectory, forceEnable: allJails, allowMissingLogs: !requireLogs)
        let status = try result.report(json ? .json : dump ? .dump : .verdict)
        if status != 0 { throw ExitCode(status) }
    }
}
