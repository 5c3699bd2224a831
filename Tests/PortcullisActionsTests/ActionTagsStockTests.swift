import Testing
import Foundation
@testable import PortcullisActions
import PortcullisConfig

/// Tag substitution on Debian's stock action files, as fail2ban fills them.
@Suite struct ActionTagsStockTests {
    static let time = 1_700_000_000.25

    func options(_ action: ActionDefinition) -> OrderedOptions {
        var options = OrderedOptions()
        for (k, v) in action.commands { options[k] = v }
        for (k, v) in action.initOptions { options[k] = v }
        return options
    }

    @Test func iptablesMultiportPicksTheFamilysCommands() throws {
        let config = try StockConfig(jailLocal: "[sshd]\nenabled = true\nbanaction = iptables-multiport\naction = %(action_)s\n")
        defer { config.remove() }
        let action = try config.action("iptables-multiport", of: "sshd")
        let options = options(action)
        let v4 = BanInfo(ip: "192.0.2.7", failures: 5, time: Self.time, banTime: 600)
        #expect(ActionTags.substitute(action.actionBan!, info: v4, options: options, family: v4.family)
            == "iptables -w -I f2b-sshd 1 -s 192.0.2.7 -j REJECT --reject-with icmp-port-unreachable")
        let v6 = BanInfo(ip: "2001:db8::7", failures: 5, time: Self.time, banTime: 600)
        #expect(v6.family == "inet6")
        #expect(ActionTags.substitute(action.actionUnban!, info: v6, options: options, family: v6.family)
            == "ip6tables -w -D f2b-sshd -s 2001:db8::7 -j REJECT --reject-with icmp6-port-unreachable")
        #expect(ActionTags.substitute(action.actionFlush!, info: nil, options: options, family: "inet4") == "iptables -w -F f2b-sshd")
    }

    @Test func nftablesConditionalSetsForIPv6() throws {
        let config = try StockConfig(jailLocal: "[sshd]\nenabled = true\nbanaction = nftables\naction = %(action_)s\n")
        defer { config.remove() }
        let action = try config.action("nftables", of: "sshd")
        let options = options(action)
        let v6 = BanInfo(ip: "2001:db8::1", time: Self.time)
        #expect(ActionTags.substitute(action.actionBan!, info: v6, options: options, family: "inet6")
            == #"nft add element inet f2b-table addr6-set-sshd \{ 2001:db8::1 \}"#)
        let v4 = BanInfo(ip: "198.51.100.2", time: Self.time)
        #expect(ActionTags.substitute(action.actionBan!, info: v4, options: options, family: "inet4")
            == #"nft add element inet f2b-table addr-set-sshd \{ 198.51.100.2 \}"#)
        let start6 = ActionTags.substitute(action.actionStart!, info: nil, options: options, family: "inet6")
        #expect(start6.contains(#"nft add set inet f2b-table addr6-set-sshd \{ type ipv6_addr\; \}"#))
        #expect(start6.contains("ip6 saddr @addr6-set-sshd reject"))
    }

    @Test func sendmailIpjailmatchesQuotesTheMatchesInsideItsDoubleQuotes() throws {
        let config = try StockConfig(jailLocal: "[sshd]\nenabled = true\naction = sendmail-whois-ipjailmatches\n")
        defer { config.remove() }
        let action = try config.action("sendmail-whois-ipjailmatches", of: "sshd")
        let info = BanInfo(ip: "192.0.2.9", failures: 3, time: Self.time, matches: ["m1"],
                           ipJailMatches: ["line one $(id)", "line 'two'"], ipJailFailures: 7)
        let command = ActionTags.substitute(action.actionBan!, info: info, options: options(action), family: "inet4")
        #expect(command.hasPrefix("f2bV_ipjailmatches='line one $(id)\nline '\\''two'\\'''\n"))
        #expect(command.contains("Matches for sshd with 7 failures IP:192.0.2.9\\n\n${f2bV_ipjailmatches}\\n\\n"))
        #expect(command.contains("banned 192.0.2.9 from \(HostNames.fullyQualified)"))
        #expect(command.contains("From: Fail2Ban <fail2ban>"))  // literal text in the stock file
    }

    @Test func mailWhoisLinesKeepsEveryStaticTagResolved() throws {
        let config = try StockConfig(jailLocal: "[sshd]\nenabled = true\naction = %(action_mwl)s\n")
        defer { config.remove() }
        let action = try config.action("sendmail-whois-lines", of: "sshd")
        let info = BanInfo(ip: "192.0.2.10", failures: 4, time: Self.time)
        let command = ActionTags.substitute(action.actionBan!, info: info, options: options(action), family: "inet4")
        #expect(command.contains("grep -m 1000 -wF \"192.0.2.10\" $logpath | tail -n 1000;"))
        #expect(command.contains("after\n4 attempts against sshd"))
        #expect(command.contains("-f \"root@\(HostNames.fullyQualified)\" \"root@localhost\""))
    }

    @Test func nginxBlockMapWritesTheFailureID() throws {
        let config = try StockConfig(jailLocal: "[nginx-x]\nenabled = true\nfilter = nginx-http-auth\nlogpath = /dev/null\naction = nginx-block-map[blck_lst_reload=true]\n")
        defer { config.remove() }
        let action = try config.action("nginx-block-map", of: "nginx-x")
        let info = BanInfo(ip: "session-42", time: Self.time, fields: ["fid": "abc;rm -rf /"], id: "abc;rm -rf /")
        let command = ActionTags.substitute(action.actionBan!, info: info, options: options(action), family: "")
        #expect(command.hasPrefix("f2bV_fid='abc;rm -rf /'\n"))
        #expect(command.contains("printf '\\%s 1;\\n' \"${f2bV_fid}\""))
    }

    @Test func staticSelfReferenceLeavesTagsInsteadOfLooping() {
        let options = OrderedOptions([("a", "<b>"), ("b", "<a>"), ("actionban", "x <a> <ip>")])
        let info = BanInfo(ip: "192.0.2.1", time: Self.time)
        #expect(throws: ActionTagError.self) { try StaticTags(options: options, family: "") }
        #expect(ActionTags.substitute("x <a> <ip>", info: info, options: options, family: "") == "x <a> 192.0.2.1")
    }
}
