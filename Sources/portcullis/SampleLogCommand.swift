import ArgumentParser

struct SampleLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sample-log", abstract: "Generate a realistic sshd auth log.", shouldDisplay: false)
    func run() throws {}
}
