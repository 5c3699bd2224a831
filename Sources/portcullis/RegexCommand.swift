import ArgumentParser

struct RegexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "regex", abstract: "Test a filter against a log (fail2ban-regex).")
    func run() throws {}
}
