import Foundation
import PortcullisClient
import PortcullisTestSupport
import Testing
@testable import PortcullisServer

/// The export API served by the running daemon (`[API] enabled = true`): what the jails hold,
/// as Krawl's cron line and Prometheus fetch it, over real HTTP on loopback.
@Suite(.serialized)
struct ExportAPITests {
    @Test func theDaemonServesItsBansJailsAndCounters() async throws {
        let tree = try DaemonTests.Tree()
        defer { tree.directory.remove() }
        let local = tree.path + "/etc/fail2ban.local"
        let settings = try String(contentsOfFile: local, encoding: .utf8)
        try (settings + "\n[API]\nenabled = true\nport = 0\nprefix = /dashboard-path\n").write(toFile: local, atomically: true, encoding: .utf8)
        let (daemon, task) = try await DaemonTests.start(tree)
        defer { daemon.requestStop() }

        var base = ""
        try await eventually("the API listens", timeout: 10) {
            let log = (try? String(contentsOfFile: tree.path + "/daemon.log", encoding: .utf8)) ?? ""
            guard let range = log.range(of: #"API listening on (http://[^ \n]+)"#, options: .regularExpression) else { return false }
            base = String(log[range].dropFirst("API listening on ".count))
            return true
        }
        try tree.append(["login failed for alice from 192.0.2.7", "login failed for alice from 192.0.2.7"])
        try await eventually("the ban is made", timeout: 10) { tree.recorded().contains("ban 192.0.2.7") }

        // The seed's cron line, against Portcullis: one address per line into a file.
        let file = tree.path + "/malicious_ips.txt"
        let curl = try Command.run(["curl", "-sS", "\(base)/api/get_banlist?fwtype=raw", "-o", file])
        #expect(curl.status == 0, "\(curl)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "192.0.2.7\n")

        let json = try Command.run(["curl", "-sS", "\(base)/api/get_banlist?fwtype=json&jail=app"]).stdout
        #expect(json.contains("\"jail\":\"app\"") && json.contains("\"ip\":\"192.0.2.7\"") && json.contains("\"bancount\":1"))
        let jails = try Command.run(["curl", "-sS", "\(base)/api/jails"]).stdout
        #expect(jails.contains("\"name\":\"app\"") && jails.contains("\"currently_banned\":1"))
        let metrics = try Command.run(["curl", "-sS", "\(base)/metrics"]).stdout
        #expect(metrics.contains("portcullis_bans_total{jail=\"app\"} 1"), "\(metrics)")
        #expect(metrics.contains("portcullis_lines_read_total{jail=\"app\"} 2"), "\(metrics)")
        #expect(metrics.contains("portcullis_failures_total{jail=\"app\"} 2"), "\(metrics)")
        let unknown = try Command.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "\(base)/api/get_banlist?jail=nosuch"]).stdout
        #expect(unknown == "404")

        daemon.requestStop()
        try await task.value
        let after = try Command.run(["curl", "-sS", "\(base)/api/bans"])
        #expect(after.status != 0, "the API stops with the daemon")
    }
}
