import Testing
@testable import PortcullisAPI

/// Each `fwtype` rendered from the fixture, compared to the exact text a client receives.
@Suite struct RendererTests {
    let bans = Fixture.bans

    @Test func rawIsDistinctSortedAddresses() {
        let expected = "9.8.7.6\n192.0.2.10\n198.51.100.0/24\n2001:db8::1\n"
        #expect(BanListFormat.raw.render(bans) == expected)
        #expect(BanListFormat.raw.render(bans, version: .v6) == "2001:db8::1\n")
        #expect(BanListFormat.raw.render([]) == "")
    }

    @Test func iptablesIsKrawlsAddressList() {
        // Krawl's iptables/nftables scripts `while read ip` over fwtype=iptables.
        #expect(BanListFormat.iptables.render(bans, version: .v4) == "9.8.7.6\n192.0.2.10\n198.51.100.0/24\n")
    }

    @Test func iptablesRestoreFragment() {
        #expect(BanListFormat.iptablesRestore.render(bans) == """
            # Portcullis ban list for iptables-restore --noflush: 3 entries
            *filter
            :portcullis-banlist - [0:0]
            -A portcullis-banlist -s 9.8.7.6/32 -j DROP
            -A portcullis-banlist -s 192.0.2.10/32 -j DROP
            -A portcullis-banlist -s 198.51.100.0/24 -j DROP
            COMMIT

            """)
        #expect(BanListFormat.iptablesRestore.render(bans, version: .v6).contains("-A portcullis-banlist -s 2001:db8::1/128 -j DROP\n"))
    }

    @Test func nftablesScript() {
        #expect(BanListFormat.nftables.render(bans) == """
            #!/usr/sbin/nft -f
            # Portcullis ban list: 4 entries
            table inet portcullis_banlist
            delete table inet portcullis_banlist
            table inet portcullis_banlist {
            \tset banned4 {
            \t\ttype ipv4_addr
            \t\tflags interval
            \t\tauto-merge
            \t\telements = { 9.8.7.6, 192.0.2.10, 198.51.100.0/24 }
            \t}
            \tset banned6 {
            \t\ttype ipv6_addr
            \t\tflags interval
            \t\tauto-merge
            \t\telements = { 2001:db8::1 }
            \t}
            \tchain input {
            \t\ttype filter hook input priority filter - 1; policy accept;
            \t\tip saddr @banned4 drop
            \t\tip6 saddr @banned6 drop
            \t}
            }

            """)
        // No bans: the sets are declared without `elements` (an empty `{ }` is a syntax error).
        #expect(!BanListFormat.nftables.render([]).contains("elements"))
    }

    @Test func jsonHasOneRecordPerJailAndAddress() {
        #expect(BanListFormat.json.render(bans) == """
            [
            {"jail":"recidive","ip":"192.0.2.10","timeofban":1700000300,"expiry":1700086700,"bantime":86400,"bancount":3},
            {"jail":"recidive","ip":"198.51.100.0/24","timeofban":1700000200,"expiry":null,"bantime":-1,"bancount":5},
            {"jail":"sshd","ip":"9.8.7.6","timeofban":1700000050.5,"expiry":1700000650.5,"bantime":600,"bancount":1},
            {"jail":"sshd","ip":"192.0.2.10","timeofban":1700000000,"expiry":1700000600,"bantime":600,"bancount":1},
            {"jail":"sshd","ip":"2001:db8::1","timeofban":1700000100,"expiry":1700003700,"bantime":3600,"bancount":2}
            ]

            """)
        #expect(BanListFormat.json.render([]) == "[]\n")
        let quoted = ExportedBan(jail: "we\"ird", ip: "192.0.2.1", timeOfBan: 0, banTime: 1, banCount: 1)
        #expect(BanListFormat.json.render([quoted]).contains(#"{"jail":"we\"ird","#))
    }

    @Test func csvWithHeaderAndEmptyExpiryForPermanent() {
        #expect(BanListFormat.csv.render(bans, version: .v4) == """
            jail,ip,timeofban,expiry,bantime,bancount
            recidive,192.0.2.10,1700000300,1700086700,86400,3
            recidive,198.51.100.0/24,1700000200,,-1,5
            sshd,9.8.7.6,1700000050.5,1700000650.5,600,1
            sshd,192.0.2.10,1700000000,1700000600,600,1

            """)
        let quoted = ExportedBan(jail: "a,\"b\"", ip: "192.0.2.1", timeOfBan: 0, banTime: 1, banCount: 1)
        #expect(BanListFormat.csv.render([quoted]).hasSuffix("\n\"a,\"\"b\"\"\",192.0.2.1,0,1,1,1\n"))
    }

    @Test func awsWAFIPSetIsOneVersionInCIDR() {
        #expect(BanListFormat.awsWAF.render(bans) ==
            #"{"Name":"portcullis-banlist","Scope":"REGIONAL","IPAddressVersion":"IPV4","Addresses":["9.8.7.6/32","192.0.2.10/32","198.51.100.0/24"]}"# + "\n")
        #expect(BanListFormat.awsWAF.render(bans, version: .v6, options: AWSWAFOptions(name: "edge", scope: "CLOUDFRONT")) ==
            #"{"Name":"edge","Scope":"CLOUDFRONT","IPAddressVersion":"IPV6","Addresses":["2001:db8::1/128"]}"# + "\n")
    }

    @Test func jailsJSON() {
        #expect(JailListRenderer.json(Fixture.jails) == """
            [
            {"name":"recidive","currently_failed":0,"total_failed":9,"currently_banned":2,"total_banned":2,"sources":["/var/log/fail2ban.log"],"backend":"auto"},
            {"name":"sshd","currently_failed":2,"total_failed":40,"currently_banned":3,"total_banned":7,"sources":["/var/log/auth.log"],"backend":"pyinotify"}
            ]

            """)
    }

    @Test func prometheusExposition() {
        let text = PrometheusRenderer.render(Fixture.metrics)
        #expect(text.contains("""
            # HELP portcullis_lines_read_total Log lines the jail's filter read.
            # TYPE portcullis_lines_read_total counter
            portcullis_lines_read_total{jail="recidive"} 120
            portcullis_lines_read_total{jail="sshd"} 20000

            """))
        #expect(text.contains("# TYPE portcullis_banned gauge\nportcullis_banned{jail=\"recidive\"} 2\nportcullis_banned{jail=\"sshd\"} 3\n"))
        #expect(text.contains("portcullis_action_errors_total{jail=\"sshd\"} 1\n"))
        #expect(text.contains(#"portcullis_feed_size{feed="spam\"haus\\drop"} 1200"# + "\n"))
        #expect(text.contains(#"portcullis_feed_fetch_failures_total{feed="spam\"haus\\drop"} 2"# + "\n"))
        #expect(text.hasSuffix("portcullis_start_time_seconds 1699999000\n"))
        #expect(PrometheusRenderer.escapeLabel("a\nb") == "a\\nb")
    }

    @Test func unknownFwtypeNamesTheValidOnes() throws {
        #expect(throws: BanListQuery.Invalid(message: "unknown fwtype 'pf'; valid values: raw, iptables, iptables-restore, nftables, json, csv, aws-waf")) {
            try BanListQuery([("fwtype", "pf")])
        }
        let query = try BanListQuery([("fwtype", "AWS-WAF"), ("version", "6"), ("jail", "sshd")])
        #expect(query.format == .awsWAF && query.version == .v6 && query.jail == "sshd")
        #expect(throws: BanListQuery.Invalid.self) { try BanListQuery([("version", "5")]) }
        #expect(throws: BanListQuery.Invalid.self) { try BanListQuery([("name", "bad name")]) }
    }

    @Test func constantTimeCompare() {
        #expect(BearerAuthMiddleware.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!BearerAuthMiddleware.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
        #expect(!BearerAuthMiddleware.constantTimeEqual(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!BearerAuthMiddleware.constantTimeEqual([], Array("a".utf8)))
    }
}

/// What the notice line says an administrator can paste into a browser or curl.
@Suite struct ListeningURLTests {
    @Test func ipv6HostsAreBracketed() {
        #expect(APIServer.url(host: "127.0.0.1", port: 8710, prefix: "") == "http://127.0.0.1:8710")
        #expect(APIServer.url(host: "::1", port: 8710, prefix: "/dashboard-path") == "http://[::1]:8710/dashboard-path")
    }
}
