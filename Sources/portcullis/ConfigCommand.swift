import ArgumentParser

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Check (and dump) a fail2ban configuration tree.")
    func run() throws {}
}
