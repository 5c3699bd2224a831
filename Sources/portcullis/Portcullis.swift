import ArgumentParser

/// The `portcullis` command: fail2ban's programs as subcommands of one binary.
@main
struct Portcullis: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portcullis",
        abstract: "Fail2Ban, rebuilt in Swift: runs your /etc/fail2ban unchanged, faster.",
        subcommands: [RegexCommand.self, ConfigCommand.self, SampleLogCommand.self]
    )
}
