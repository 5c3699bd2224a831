import ArgumentParser
import Foundation

/// The `portcullis` command: fail2ban's programs as subcommands of one binary.
struct Portcullis: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portcullis",
        abstract: "Fail2Ban, rebuilt in Swift: runs your /etc/fail2ban unchanged, faster.",
        discussion: """
        Linked or copied as fail2ban-client, fail2ban-server or fail2ban-regex, the binary \
        behaves as that program, so existing scripts, units and cron jobs keep working.
        """,
        subcommands: [ServerCommand.self, ClientCommand.self, RegexCommand.self, ConfigCommand.self, SampleLogCommand.self]
    )
}

/// Dispatch by the name the binary was invoked as, then by subcommand. `client` bypasses the
/// argument parser: fail2ban-client's own getopt rules apply to everything after it.
@main
enum Main {
    static func main() async {
        let arguments = CommandLine.arguments
        let invokedAs = (arguments[0] as NSString).lastPathComponent
        switch invokedAs {
        case "fail2ban-client":
            exit(await ClientMain.run(Array(arguments.dropFirst())))
        case "fail2ban-server":
            await ServerCommand.main(Array(arguments.dropFirst()))
        case "fail2ban-regex":
            RegexCommand.main(Array(arguments.dropFirst()))
        default:
            if arguments.count > 1, arguments[1] == "client" {
                exit(await ClientMain.run(Array(arguments.dropFirst(2))))
            }
            await Portcullis.main()
        }
    }
}
