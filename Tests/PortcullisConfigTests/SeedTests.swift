import Testing
import Foundation
@testable import PortcullisConfig
import PortcullisTestSupport

/// Administrators' trees seen in the field, on top of Debian's stock tree.
@Suite struct SeedTests {
    func stockCopy() throws -> TemporaryDirectory {
        let tmp = try TemporaryDirectory()
        let target = tmp.url.appendingPathComponent("fail2ban")
        try FileManager.default.copyItem(at: try DebianFail2ban.configDirectory(), to: target)
        return tmp
    }

    @Test func krawlFilterNameTypoSuggestsTheFile() throws {
        let tmp = try stockCopy()
        defer { tmp.remove() }
        try tmp.write("fail2ban/filter.d/krawl-filter.conf", "[Definition]\nfailregex = ^<HOST>$\n")
        let jail = "[krawl]\nenabled = true\nfilter = krawl\nlogpath = /var/log/krawl.log\naction = iptables-allports[name=krawl-ban, port=all, protocol=all]\n"
        try tmp.write("fail2ban/jail.d/krawl-jail.conf", jail)
        let dir = tmp.path + "/fail2ban"
        var reader = try JailsReader(configDirectory: dir)
        #expect { try reader.jail(named: "krawl") } throws: { error in
            let e = error as? ConfigError
            return e?.file == dir + "/jail.d/krawl-jail.conf" && e?.line == 3
                && e?.message.contains("filter 'krawl'") == true && e?.message.contains("did you mean 'krawl-filter'?") == true
        }

        try tmp.write("fail2ban/jail.d/krawl-jail.conf", jail.replacingOccurrences(of: "filter = krawl\n", with: "filter = krawl-filter\n"))
        var fixed = try JailsReader(configDirectory: dir)
        let krawl = try #require(try fixed.jail(named: "krawl"))
        #expect(krawl.filter?.failRegex == ["^<HOST>$"])
        #expect(krawl.actions.map(\.name) == ["iptables-allports"])
        let action = try #require(krawl.actions.first)
        #expect(action.initOptions["name"] == "krawl-ban")
        #expect(action.actionName == "iptables-allports-ban")  // fail2ban: name starts with the jail name → its remainder
        #expect(action.actionStart?.contains("f2b-krawl-ban") == true)
        #expect(action.initOptions["protocol"] == "all")
    }

    @Test func threatJammerSecondActionFromMultiLineAction() throws {
        let tmp = try stockCopy()
        defer { tmp.remove() }
        try tmp.write("fail2ban/action.d/threatjammer.conf", """
        [Definition]
        actionban = curl -s -H "Authorization: Bearer <threatjammer_apikey>" -d 'ip=<ip>&jail=<name>' <threatjammer_url>
        actionunban =
        [Init]
        threatjammer_apikey =
        threatjammer_url = https://example.invalid/report

        """)
        try tmp.write("fail2ban/jail.local", """
        [DEFAULT]
        action_threatjammer = threatjammer[threatjammer_apikey="YOUR_API_KEY"]
        action = %(action_)s
                 %(action_threatjammer)s

        """)
        var reader = try JailsReader(configDirectory: tmp.path + "/fail2ban")
        let sshd = try #require(try reader.jail(named: "sshd"))
        #expect(sshd.actions.map(\.name) == ["iptables-multiport", "threatjammer"])
        let tj = sshd.actions[1]
        #expect(tj.actionBan == #"curl -s -H "Authorization: Bearer YOUR_API_KEY" -d 'ip=<ip>&jail=sshd' https://example.invalid/report"#)
        #expect(tj.initOptions["threatjammer_apikey"] == "YOUR_API_KEY")
    }

    @Test func errorPathsCarryFileAndLine() throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        try tmp.write("filter.d/f.conf", "[Definition]\nfailregex = ^<HOST>$\n")
        try tmp.write("action.d/a.conf", "[Definition]\nactionban = echo <ip>\n")
        try tmp.write("jail.conf", """
        [DEFAULT]
        enabled = true
        [unbalanced]
        filter = f[mode=x
        [noaction]
        filter = f
        action = nothere
        [badref]
        filter = f
        bantime = %(undefined)s
        [pyaction]
        filter = f
        action = a
                 custom.py[x=1]
        [ok]
        filter = f
        action = a[name=web]
        maxretry = many

        """)
        var reader = try JailsReader(configDirectory: tmp.path)
        let outcomes = Dictionary(uniqueKeysWithValues: reader.readJails().map { ($0.name, $0.result) })
        let jailFile = tmp.path + "/jail.conf"
        func error(_ name: String) -> ConfigError? { if case .failure(let e)? = outcomes[name] { return e }; return nil }
        #expect(error("unbalanced")?.file == jailFile && error("unbalanced")?.line == 4)
        #expect(error("unbalanced")?.message.contains("invalid filter definition") == true)
        #expect(error("noaction")?.line == 7 && error("noaction")?.message.contains("action 'nothere'") == true)
        #expect(error("badref")?.line == 10 && error("badref")?.message.contains("'undefined' is not defined") == true)
        let py = try #require(try outcomes["pyaction"]?.get())
        #expect(py.pythonActions.map(\.name) == ["custom"])
        #expect(py.actions.map(\.name) == ["a"])
        let ok = try #require(try outcomes["ok"]?.get())
        #expect(ok.maxRetry == nil)
        #expect(ok.warnings.contains { $0.line == 18 && $0.message.contains("maxretry") })
        #expect(ok.actions.first?.actionName == "a-web")
        #expect(error("missing") == nil)
    }
}
