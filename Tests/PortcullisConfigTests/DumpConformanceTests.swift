import Testing
import Foundation
@testable import PortcullisConfig
import PortcullisTestSupport

/// The whole `--dump` stream, line for line against `fail2ban-client -d` when fail2ban is installed.
@Suite struct DumpConformanceTests {
    static var fail2banClient: String? {
        ["/usr/bin/fail2ban-client", "/usr/local/bin/fail2ban-client"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: fail2banClient != nil, "fail2ban-client not installed"))
    func everyStockJailEnabledMatchesFail2banClient() throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let dir = tmp.url.appendingPathComponent("fail2ban")
        try FileManager.default.copyItem(at: try DebianFail2ban.configDirectory(), to: dir)
        try tmp.write("fail2ban/jail.local", "[DEFAULT]\nenabled = true\n")

        let settings = try FailBanSettings.read(configDirectory: dir.path)
        var reader = try JailsReader(configDirectory: dir.path)
        let jails = try reader.enabledJails()
        var ours = settings.stream
        for jail in jails { ours += jail.stream }
        for jail in jails { ours.append(["start", .string(jail.name)]) }
        let oursText = ours.map { StreamValue.list($0).pythonRepr }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.fail2banClient!)
        process.arguments = ["-c", dir.path, "-d"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let theirs = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(theirs.count == oursText.count)
        for (a, b) in zip(oursText, theirs) where a != b {
            Issue.record("differs:\nours:   \(a.prefix(300))\ntheirs: \(b.prefix(300))")
            break
        }
    }
}
