import Foundation
import PortcullisStore
import PortcullisTestSupport

/// A store in a fresh temporary folder, removed afterwards.
func withStore<T>(maxMatches: Int? = nil,
                  _ body: (SQLiteBanStore, TemporaryDirectory) async throws -> T) async throws -> T {
    let folder = try TemporaryDirectory(prefix: "portcullis-store")
    defer { folder.remove() }
    let store = try SQLiteBanStore(path: storePath(in: folder), maxMatches: maxMatches)
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

/// Whether `program` is on PATH.
func hasProgram(_ program: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
        FileManager.default.isExecutableFile(atPath: "\($0)/\(program)")
    }
}
