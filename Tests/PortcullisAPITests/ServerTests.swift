import Testing
import Foundation
@testable import PortcullisAPI
import PortcullisConfig
import PortcullisTestSupport

/// A real server on loopback, asked through curl as a cron job or Prometheus would ask it.
@Suite(.serialized) struct ServerTests {
    @Test func everyFormatWithItsContentType() async throws {
        try await withServer { port async throws in
            for format in BanListFormat.allCases {
                let answer = try await get(port, "/api/get_banlist?fwtype=\(format.rawValue)")
                #expect(answer.status == 200, "\(format)")
                #expect(answer.headers["content-type"] == format.contentType, "\(format)")
                #expect(answer.body == format.render(Fixture.bans), "\(format)")
            }
            let noType = try await get(port, "/api/get_banlist")
            #expect(noType.body == BanListFormat.raw.render(Fixture.bans))
            let v6 = try await get(port, "/api/get_banlist?fwtype=aws-waf&version=6&name=edge")
            #expect(v6.body.contains(#""Name":"edge""#) && v6.body.contains(#""Addresses":["2001:db8::1/128"]"#))
        }
    }

    @Test func jailFilterAndErrors() async throws {
        try await withServer { port async throws in
            let recidive = try await get(port, "/api/get_banlist?fwtype=raw&jail=recidive")
            #expect(recidive.body == "192.0.2.10\n198.51.100.0/24\n")

            let unknownJail = try await get(port, "/api/get_banlist?fwtype=raw&jail=nginx")
            #expect(unknownJail.status == 404)
            #expect(unknownJail.body == "no jail 'nginx'; jails: recidive, sshd\n")

            let unknownType = try await get(port, "/api/get_banlist?fwtype=pf")
            #expect(unknownType.status == 400)
            #expect(unknownType.body.contains("valid values: raw, iptables, iptables-restore, nftables, json, csv, aws-waf"))

            #expect(try await get(port, "/api/nothing").status == 404)
        }
    }

    @Test func bansJailsAndMetrics() async throws {
        try await withServer { port async throws in
            let bans = try await get(port, "/api/bans?jail=sshd")
            #expect(bans.headers["content-type"] == "application/json")
            #expect(bans.body == BanListFormat.json.render(Fixture.bans.filter { $0.jail == "sshd" }))
            let decoded = try JSONSerialization.jsonObject(with: Data(bans.body.utf8)) as? [[String: Any]]
            #expect(decoded?.count == 3)

            let jails = try await get(port, "/api/jails")
            let names = (try JSONSerialization.jsonObject(with: Data(jails.body.utf8)) as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == ["recidive", "sshd"])

            let metrics = try await get(port, "/metrics")
            #expect(metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            let sample = #/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"\})? -?[0-9]+(\.[0-9]+)?$/#
            let lines = metrics.body.split(separator: "\n")
            #expect(lines.count > 20)
            for line in lines where !line.hasPrefix("#") {
                #expect(line.wholeMatch(of: sample) != nil, "not a sample line: \(line)")
            }
            #expect(lines.contains(#"portcullis_bans_total{jail="sshd"} 7"#))
        }
    }

    @Test func tokenIsRequiredWhenConfigured() async throws {
        try await withServer(token: "s3cret") { port async throws in
            let anonymous = try await get(port, "/api/get_banlist?fwtype=raw")
            #expect(anonymous.status == 401)
            #expect(anonymous.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
            #expect(anonymous.body.isEmpty == false && !anonymous.body.contains("192.0.2.10"))
            #expect(try await get(port, "/metrics", headers: ["Authorization: Bearer wrong"]).status == 401)
            #expect(try await get(port, "/api/get_banlist?fwtype=raw&token=s3cret").status == 401)

            let authorized = try await get(port, "/api/get_banlist?fwtype=raw", headers: ["Authorization: Bearer s3cret"])
            #expect(authorized.status == 200)
            #expect(authorized.body == BanListFormat.raw.render(Fixture.bans))
        }
    }

    @Test func prefixedPaths() async throws {
        try await withServer(prefix: "/dashboard-path") { port async throws in
            #expect(try await get(port, "/dashboard-path/api/get_banlist?fwtype=raw").body == BanListFormat.raw.render(Fixture.bans))
            #expect(try await get(port, "/dashboard-path/api/jails").status == 200)
            #expect(try await get(port, "/dashboard-path/metrics").status == 200)
            #expect(try await get(port, "/api/get_banlist?fwtype=raw").status == 404)
        }
    }

    /// The seed's cron line, `curl http://host/…/api/get_banlist?fwtype=raw -o malicious_ips.txt`,
    /// writes the file a fail2ban `failregex = ^<HOST>$` jail reads.
    @Test func krawlCronLineWritesOneAddressPerLine() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let file = tmp.path + "/malicious_ips.txt"
        try await withServer(prefix: "/dashboard-path") { port async throws in
            let output = try await curl(["http://127.0.0.1:\(port)/dashboard-path/api/get_banlist?fwtype=raw", "-o", file])
            #expect(output.status == 0, "\(output)")
        }
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines == ["9.8.7.6", "192.0.2.10", "198.51.100.0/24", "2001:db8::1", ""])
    }

    @Test func logsListeningAtNoticeAndRequestsAtDebug() async throws {
        let log = LogLines()
        var listening = 0
        try await withServer(prefix: "/p", log: log) { port async throws in
            listening = port
            _ = try await get(port, "/p/api/jails")
        }
        let lines = log.all
        #expect(lines.contains { $0.level == .notice && $0.logger == "fail2ban.api" && $0.message == "API listening on http://127.0.0.1:\(listening)/p" })
        #expect(lines.contains { $0.level == .debug && $0.message == "127.0.0.1 GET /p/api/jails 200" })
    }

    @Test(.enabled(if: (try? Command.run(["ip", "-6", "addr", "show", "lo"]))?.stdout.contains("::1/128") == true))
    func ipv6LoopbackBind() async throws {
        let log = LogLines()
        try await withServer(bind: "::1", log: log) { port async throws in
            let answer = try HTTPAnswer(await curl(["-D", "-", "http://[::1]:\(port)/api/get_banlist?fwtype=raw"]))
            #expect(answer.status == 200 && answer.body == BanListFormat.raw.render(Fixture.bans))
            #expect(log.all.contains { $0.message == "API listening on http://[::1]:\(port)" })
            #expect(log.all.contains { $0.message == "::1 GET /api/get_banlist?fwtype=raw 200" })
        }
    }

    @Test func cancellingTheTaskClosesThePort() async throws {
        var port = 0
        try await withServer { listening async throws in
            port = listening
            #expect(try await get(port, "/metrics").status == 200)
        }
        // withServer returned: the server task was cancelled and `run` returned.
        let refused = try await curl(["http://127.0.0.1:\(port)/metrics"])
        #expect(refused.status == 7, "curl should fail to connect: \(refused)")
    }

    @Test func listeningFailureIsATypedError() async throws {
        try await withServer { port async throws in
            let busy = APIServer(settings: APISettings(enabled: true, port: port, file: "/etc/fail2ban/fail2ban.local", line: 4),
                                 source: FixedSource(), log: nil)
            await #expect { try await busy.run() } throws: { error in
                let e = error as? APIServerError
                return e?.port == port && e?.description.hasPrefix("/etc/fail2ban/fail2ban.local:4: the API server on 127.0.0.1 port \(port) failed") == true
            }
        }
    }
}
