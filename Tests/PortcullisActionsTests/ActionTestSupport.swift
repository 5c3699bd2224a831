import Foundation
import PortcullisActions
import PortcullisConfig
import PortcullisTestSupport

/// Collects what a `LogSink` receives.
final class LogRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(level: LogLevel, logger: String, message: String)] = []

    var sink: LogSink {
        { [self] level, logger, message in lock.withLock { entries.append((level, logger, message)) } }
    }

    var lines: [(level: LogLevel, logger: String, message: String)] { lock.withLock { entries } }

    func messages(at level: LogLevel, from logger: String) -> [String] {
        lines.filter { $0.level == level && $0.logger == logger }.map(\.message)
    }
}

/// A stock config tree with one test jail whose action is written by the test; commands record
/// what they do in `record` (one line each).
struct ActionFixture {
    let config: StockConfig
    let log = LogRecorder()
    var dir: String { config.directory.path }
    var record: String { dir + "/record" }

    /// `actionText` is the `action.d/test.conf` body; `$D` in it stands for the fixture's folder.
    init(_ actionText: String, actionOptions: String = "") throws {
        config = try StockConfig(jailLocal: "[t]\nenabled = true\nfilter = sshd\nlogpath = /dev/null\naction = test\(actionOptions)\n")
        try config.addAction("test", actionText.replacingOccurrences(of: "$D", with: config.directory.path))
    }

    func definition() throws -> ActionDefinition { try config.action("test", of: "t") }

    func action(ipv6: Bool = true, clock: @escaping @Sendable () -> Double = { 1_700_000_000 },
                runner: CommandRunner = CommandRunner()) throws -> CommandAction {
        CommandAction(definition: try definition(), runner: runner, log: log.sink, jailBanTime: 3600, ipv6Allowed: ipv6, clock: clock)
    }

    /// The lines commands appended to `record`.
    func recorded() -> [String] {
        ((try? String(contentsOfFile: record, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func clearRecord() { try? FileManager.default.removeItem(atPath: record) }

    func remove() { config.remove() }
}

extension BanInfo {
    static func v4(_ ip: String = "192.0.2.1", restored: Bool = false) -> BanInfo {
        BanInfo(ip: ip, failures: 3, time: 1_700_000_100, banTime: 600, restored: restored)
    }
    static func v6(_ ip: String = "2001:db8::1") -> BanInfo {
        BanInfo(ip: ip, failures: 3, time: 1_700_000_100, banTime: 600)
    }
}
