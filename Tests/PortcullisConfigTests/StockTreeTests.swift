import Testing
import Foundation
@testable import PortcullisConfig
import PortcullisTestSupport

/// Against Debian's stock fail2ban 1.0.2 tree; expected values are what `fail2ban-client -d` prints for it.
@Suite struct StockTreeTests {
    let dir: String
    init() throws { dir = try DebianFail2ban.configDirectory().path }

    @Test func everyJailLoadsWithFilterAndActions() throws {
        var reader = try JailsReader(configDirectory: dir)
        let outcomes = reader.readJails(forceEnable: true)
        #expect(outcomes.count > 80)
        for outcome in outcomes {
            let jail = try outcome.result.get()
            let j = try #require(jail, "jail \(outcome.name)")
            #expect(j.filter != nil || j.filterSpec == nil, "jail \(j.name)")
            #expect(!j.actions.isEmpty, "jail \(j.name) has no action")
            #expect(j.actions.allSatisfy { $0.actionBan != nil || $0.name == "blocklist_de" || !$0.commands.isEmpty }, "jail \(j.name)")
        }
        #expect(outcomes.contains { $0.name == "sshd" })
        #expect(!outcomes.contains { $0.name == "INCLUDES" || $0.name == "DEFAULT" })
    }

    @Test func everyFilterLoads() throws {
        let names = NameSuggestions.available(in: dir + "/filter.d", extensions: ["conf"]).filter { !$0.hasSuffix("common") }
        #expect(names.count > 50)
        var withRegex = 0
        for name in names {
            let f = try FilterReader.load(name: name, configDirectory: dir)
            let raw = try String(contentsOfFile: dir + "/filter.d/\(name).conf", encoding: .utf8)
            if raw.range(of: #"(?m)^failregex\s*=\s*\S"#, options: .regularExpression) != nil {
                #expect(!f.failRegex.isEmpty, "filter \(name)")
                withRegex += 1
            }
            #expect(f.failRegex.allSatisfy { !$0.contains("%(") }, "filter \(name) has uninterpolated %()s")
        }
        #expect(withRegex > 50)
    }

    @Test func sshdMatchesFail2banClientDump() throws {
        var reader = try JailsReader(configDirectory: dir)
        let sshd = try #require(try reader.jail(named: "sshd"))
        let filter = try #require(sshd.filter)
        #expect(filter.failRegex.count == 22)
        #expect(filter.failRegex.first == #"^[aA]uthentication (?:failure|error|failed) for <F-USER>.*</F-USER> from <HOST>( via \S+)?(?: (?:port \d+|on \S+|\[preauth\])){0,3}\s*$"#)
        #expect(filter.prefRegex == #"^<F-MLFID>(?:\[\])?\s*(?:<[^.]+\.[^.]+>\s+)?(?:\S+\s+)?(?:kernel:\s?\[ *\d+\.\d+\]:?\s+)?(?:@vserver_\S+\s+)?(?:(?:(?:\[\d+\])?:\s+[\[\(]?sshd(?:\(\S+\))?[\]\)]?:?|[\[\(]?sshd(?:\(\S+\))?[\]\)]?:?(?:\[\d+\])?:?)\s+)?(?:\[ID \d+ \S+\]\s+)?</F-MLFID>(?:(?:error|fatal): (?:PAM: )?)?<F-CONTENT>.+</F-CONTENT>$"#)
        #expect(filter.maxLines == 1)
        #expect(filter.datePattern == "{^LN-BEG}")
        #expect(filter.journalMatch == ["_SYSTEMD_UNIT=sshd.service + _COMM=sshd"])
        #expect(sshd.maxRetry == 5)
        #expect(sshd.findTime == "10m")
        #expect(sshd.banTime == "10m")
        #expect(sshd.logPath == ["/var/log/auth.log"])
        let action = try #require(sshd.actions.first)
        #expect(sshd.actions.count == 1)
        #expect(action.name == "iptables-multiport")
        #expect(action.actionBan == "<iptables> -I f2b-sshd 1 -s <ip> -j <blocktype>")
        #expect(action.actionFlush == "<iptables> -F f2b-sshd")
        #expect(action.initOptions["port"] == "ssh")
        #expect(action.initOptions["blocktype?family=inet6"] == "REJECT --reject-with icmp6-port-unreachable")
        #expect(action.initOptions["chain"] == "<known/chain>")
        let stream = sshd.stream.map { StreamValue.list($0).pythonRepr }
        #expect(stream.first == "['add', 'sshd', 'auto']")
        #expect(stream.contains("['set', 'sshd', 'maxretry', 5]"))
        #expect(stream.contains("['set', 'sshd', 'addjournalmatch', '_SYSTEMD_UNIT=sshd.service', '+', '_COMM=sshd']"))
    }

    @Test func aggressiveModeAndSettings() throws {
        let normal = try FilterReader.load(name: "sshd", configDirectory: dir)
        let aggressive = try FilterReader.load(name: "sshd", options: OrderedOptions([("mode", "aggressive")]), configDirectory: dir)
        #expect(aggressive.failRegex.count > normal.failRegex.count)
        let journal = try FilterReader.load(name: "sshd", configDirectory: dir, backend: "systemd")
        #expect(journal.prefRegex != normal.prefRegex)
        let byPath = try FilterReader.load(name: dir + "/filter.d/sshd.conf", configDirectory: dir)
        #expect(byPath.failRegex == normal.failRegex)
        #expect(byPath.name == "sshd")

        let settings = try FailBanSettings.read(configDirectory: dir)
        #expect(settings.logTarget == "/var/log/fail2ban.log")
        #expect(settings.dbMaxMatches == 10)
        #expect(settings.dbPurgeAge == "1d")
        #expect(settings.socket == "/var/run/fail2ban/fail2ban.sock")
    }
}
