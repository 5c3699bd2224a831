import Testing
import Foundation
@testable import PortcullisActions
import PortcullisConfig

/// Every run-time tag, through a real `/bin/sh`.
@Suite struct DynamicTagTests {
    let runner = CommandRunner()

    func shellOutput(_ command: String, _ info: BanInfo?, family: String? = nil, options: OrderedOptions = OrderedOptions()) async -> String {
        let script = ActionTags.substitute(command, info: info, options: options, family: family ?? info?.family ?? "")
        let result = await runner.run(script, timeout: 10)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func everyBanTagIPv4() async {
        let info = BanInfo(ip: "192.0.2.33", failures: 5, time: 1_700_000_123.5, banTime: 3600, banCount: 3,
                           matches: ["first line", "second line"], ipMatches: ["all 1", "all 2", "all 3"],
                           ipJailMatches: ["jail 1"], ipFailures: 11, ipJailFailures: 6,
                           fields: ["user": "alice", "fport": "2222", "custom": "v"], restored: true)
        let tags = ["ip", "family", "ip-rev", "fid", "failures", "time", "bantime", "bancount", "restored",
                    "ipfailures", "ipjailfailures", "F-USER", "F-PORT", "F-CUSTOM", "F-MISSING", "unknown"]
        let command = tags.map { "printf '%s|' \"<\($0)>\"" }.joined(separator: "; ")
        #expect(await shellOutput(command, info) == "192.0.2.33|inet4|33.2.0.192.|192.0.2.33|5|1700000123.5|3600|3|1|11|6|alice|2222|v||<unknown>|")
        #expect(await shellOutput("printf '%s\\n--\\n' \"<matches>\" \"<ipmatches>\" \"<ipjailmatches>\"", info)
            == "first line\nsecond line\n--\nall 1\nall 2\nall 3\n--\njail 1\n--\n")
    }

    @Test func everyBanTagIPv6AndDefaults() async {
        let info = BanInfo(ip: "2001:db8::1", failures: 2, time: 1_700_000_000, banTime: -1, matches: ["only"])
        let command = "echo <ip> <family> <ip-rev> <bantime> <bancount> <restored> <ipfailures> <time>; echo \"<ipmatches>\"; echo \"<ipjailmatches>\""
        let rev = "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
        #expect(await shellOutput(command, info) == "2001:db8::1 inet6 \(rev) -1 1 0 2 1700000000.0\nonly\nonly\n")
    }

    @Test func failureIDsAndHostTags() async {
        let info = BanInfo(ip: "user-session", time: 1, fields: ["fid": "user-session"], id: "user-session", hostName: "h.example.org")
        #expect(await shellOutput("echo <fid> <F-ID> '[<family>]' [<ip-rev>] <ip-host>", info, family: "") == "user-session user-session [<family>] [] h.example.org\n")
        #expect(await shellOutput("echo <sh-hostname> <fq-hostname>", info) == "\(HostNames.short) \(HostNames.fullyQualified)\n")
        #expect(await shellOutput("printf '%s' 'a<br>b<sp>c'", nil, family: "") == "a\nb c")
    }

    @Test func extraTagsAreEscapedLikeLogValues() async {
        let info = BanInfo(ip: "192.0.2.1", time: 1, extraTags: ["jail.banned": "3", "note": "a b;c"])
        #expect(await shellOutput("echo <jail.banned> <note>", info) == "3 a b;c\n")
    }

    @Test func staticMatchesOptionIsTreatedAsRunTimeText() async {
        let options = OrderedOptions([("matches", "from config; $(echo x)")])
        let info = BanInfo(ip: "192.0.2.1", time: 1, matches: ["ignored"])
        #expect(await shellOutput("echo <matches>", info, options: options) == "from config; $(echo x)\n")
    }

    @Test func operationsWithoutBanFillOnlyTheFamily() async {
        let options = OrderedOptions([("cmd", "v4"), ("cmd?family=inet6", "v6")])
        #expect(ActionTags.substitute("<cmd> <family> <ip>", info: nil, options: options, family: "inet6") == "v6 inet6 <ip>")
        #expect(ActionTags.substitute("<cmd> <family> <ip>", info: nil, options: options, family: "") == "v4 <family> <ip>")
    }
}
