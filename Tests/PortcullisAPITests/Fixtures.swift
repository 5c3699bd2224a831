import PortcullisAPI

/// A fixed set of jails and bans covering what exports must handle: IPv4, IPv6, a network,
/// a permanent ban, one address banned by two jails, and numeric order (9.… before 192.…).
enum Fixture {
    static let bans: [ExportedBan] = [
        ExportedBan(jail: "sshd", ip: "192.0.2.10", timeOfBan: 1_700_000_000, banTime: 600, banCount: 1),
        ExportedBan(jail: "sshd", ip: "2001:db8::1", timeOfBan: 1_700_000_100, banTime: 3600, banCount: 2),
        ExportedBan(jail: "sshd", ip: "9.8.7.6", timeOfBan: 1_700_000_050.5, banTime: 600, banCount: 1),
        ExportedBan(jail: "recidive", ip: "198.51.100.0/24", timeOfBan: 1_700_000_200, banTime: -1, banCount: 5),
        ExportedBan(jail: "recidive", ip: "192.0.2.10", timeOfBan: 1_700_000_300, banTime: 86400, banCount: 3),
    ]

    static let jails: [JailSummary] = [
        JailSummary(name: "sshd", currentlyFailed: 2, totalFailed: 40, currentlyBanned: 3, totalBanned: 7,
                    sources: ["/var/log/auth.log"], backend: "pyinotify"),
        JailSummary(name: "recidive", currentlyFailed: 0, totalFailed: 9, currentlyBanned: 2, totalBanned: 2,
                    sources: ["/var/log/fail2ban.log"], backend: "auto"),
    ]

    static let metrics = MetricsSnapshot(
        jails: [
            JailMetrics(name: "sshd", linesRead: 20000, failures: 40, bans: 7, unbans: 4, actionErrors: 1, currentlyBanned: 3),
            JailMetrics(name: "recidive", linesRead: 120, failures: 9, bans: 2, unbans: 0, actionErrors: 0, currentlyBanned: 2),
        ],
        feeds: [FeedMetrics(name: "spam\"haus\\drop", size: 1200, invalidLines: 3, fetches: 10, failures: 2, lastSuccess: 1_700_000_000)],
        startTime: 1_699_999_000)
}

/// The daemon's side of the API in the tests: real values, answered as the daemon would.
struct FixedSource: BanExportSource {
    var banList = Fixture.bans
    var jailList = Fixture.jails
    var snapshot = Fixture.metrics

    func bans(jail: String?) async -> [ExportedBan] { banList.filter { jail == nil || $0.jail == jail } }
    func jails() async -> [JailSummary] { jailList }
    func metrics() async -> MetricsSnapshot { snapshot }
}
