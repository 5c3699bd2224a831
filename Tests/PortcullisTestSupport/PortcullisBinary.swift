import Foundation

/// The `portcullis` executable SwiftPM built next to the test bundle (or `PORTCULLIS_BINARY`).
public enum PortcullisBinary {
    public static func path() throws -> String {
        if let explicit = ProcessInfo.processInfo.environment["PORTCULLIS_BINARY"] { return explicit }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("portcullis").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw NotBuilt(description: "portcullis executable not found near \(CommandLine.arguments[0]); run `swift build` first or set PORTCULLIS_BINARY")
    }

    public struct NotBuilt: Error, CustomStringConvertible { public let description: String }
}
