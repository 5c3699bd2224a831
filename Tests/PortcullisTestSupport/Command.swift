import Foundation

/// Runs a program and collects what it printed: the tests' way to drive `ip`, `nft`, `iptables`
/// and the portcullis binary itself.
public struct CommandOutput: Sendable, CustomStringConvertible {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    public var description: String { "status \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

public enum Command {
    /// Runs `arguments[0]` (looked up in PATH) with the rest, waiting for it to exit.
    @discardableResult
    public static func run(_ arguments: [String], input: String? = nil, environment: [String: String]? = nil,
                           directory: URL? = nil) throws -> CommandOutput {
        let process = Process()
        if let directory { process.currentDirectoryURL = directory }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe(), inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input == nil ? FileHandle.nullDevice : inp
        try process.run()
        if let input {
            inp.fileHandleForWriting.write(Data(input.utf8))
            try? inp.fileHandleForWriting.close()
        }
        // Read both pipes while the process runs so a large output cannot block it.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandOutput(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs and throws with the whole output when the exit status is not 0.
    @discardableResult
    public static func check(_ arguments: [String], input: String? = nil) throws -> String {
        let output = try run(arguments, input: input)
        guard output.status == 0 else { throw Failed(command: arguments, output: output) }
        return output.stdout
    }

    public struct Failed: Error, CustomStringConvertible {
        public let command: [String]
        public let output: CommandOutput
        public var description: String { "\(command.joined(separator: " ")) failed: \(output)" }
    }
}
