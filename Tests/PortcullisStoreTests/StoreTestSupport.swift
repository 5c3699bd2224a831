import Foundation
import PortcullisStore
import PortcullisTestSupport

/// A store in a fresh temporary folder, removed afterwards.
func withStore<T>(maxMatches: Int? = nil,
                  _ body: (SQLiteBanStore, TemporaryDirectory) async throws -> T) async throws -> T {
    let folder = try TemporaryDirectory(prefix: "portcullis-store")
    defer { folder.remove() }
    let store = try SQLiteBanStore(path: folder.url.appendingPathComponent("bans.sqlite3").path, maxMatches: maxMatches)
    let result = try await body(store, folder)
    try await store.close()
    return result
}

func storePath(in folder: TemporaryDirectory) -> String {
    folder.url.appendingPathComponent("bans.sqlite3").path
}

func ban(_ ip: String, jail: String = "sshd", at time: Double = 1_000, for banTime: Double = 600,
         count: Int = 1, failures: Int = 3, matches: [String] = [], fields: [String: String]? = nil) -> StoredBan {
    StoredBan(jail: jail, ip: ip, timeOfBan: time, banTime: banTime, banCount: count, failures: failures,
              matches: matches, fields: fields)
}

/// Runs a program and returns its exit status and output.
@discardableResult
func run(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Whether `program` is on PATH.
func hasProgram(_ program: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
        FileManager.default.isExecutableFile(atPath: "\($0)/\(program)")
    }
}
