import Testing
@testable import PortcullisConfig

@Suite struct TagSubstitutionTests {
    @Test func recursiveAndNested() throws {
        let tags = OrderedOptions([("a", "3"), ("b", "<a>_3"), ("logtype", "file"), ("lt_file", "F"),
                                   ("x", "<lt_<logtype>> <HOST> <b>")])
        let out = try TagSubstitution.substituteRecursiveTags(tags)
        #expect(out["b"] == "3_3")
        #expect(out["x"] == "F <HOST> 3_3")
    }

    @Test func additionalLookupAndConditional() throws {
        let tags = OrderedOptions([("ban", "<iptables> -j <blocktype>"), ("blocktype", "REJECT"), ("blocktype?family=inet6", "REJECT6")])
        let v4 = try TagSubstitution.substituteRecursiveTags(tags) { $0 == "iptables" ? "iptables -w" : nil }
        #expect(v4["ban"] == "iptables -w -j REJECT")
        let v6 = try TagSubstitution.substituteRecursiveTags(tags, conditional: "family=inet6")
        #expect(v6["ban"] == "<iptables> -j REJECT6")
    }

    @Test func ignoredTagsStay() throws {
        let out = try TagSubstitution.substituteRecursiveTags(OrderedOptions([("cmd", "<matches> <x>"), ("matches", "M"), ("x", "X")]), ignore: ["matches"])
        #expect(out["cmd"] == "<matches> X")
    }

    @Test func selfReferenceIsAnError() {
        #expect(throws: ConfigError.self) { try TagSubstitution.substituteRecursiveTags(OrderedOptions([("a", "<b>"), ("b", "<a>")])) }
    }
}

@Suite struct OptionSpecTests {
    @Test func simpleAndWithOptions() throws {
        #expect(try OptionSpec.parse("sshd") == OptionSpec(name: "sshd"))
        let s = try OptionSpec.parse("sshd[mode=aggressive]")
        #expect(s.name == "sshd" && s.options["mode"] == "aggressive")
        let k = try OptionSpec.parse("iptables-allports[name=krawl-ban, port=all, protocol=all]")
        #expect(k.name == "iptables-allports")
        #expect(k.options.names == ["name", "port", "protocol"])
        #expect(k.options["name"] == "krawl-ban")
    }

    @Test func quotedValuesKeepCommasAndBrackets() throws {
        let s = try OptionSpec.parse(#"threatjammer[threatjammer_apikey="YOUR_API_KEY", note="a, b [c]", q='x,y']"#)
        #expect(s.options["threatjammer_apikey"] == "YOUR_API_KEY")
        #expect(s.options["note"] == "a, b [c]")
        #expect(s.options["q"] == "x,y")
        let groups = try OptionSpec.parse("act[a=1][b=2]")
        #expect(groups.options["a"] == "1" && groups.options["b"] == "2")
    }

    @Test func unbalancedBracketsAreErrors() {
        #expect(throws: OptionSpec.SyntaxError.self) { try OptionSpec.parse("sshd[mode=aggressive") }
        #expect(throws: OptionSpec.SyntaxError.self) { try OptionSpec.parse(#"x[a="1"junk]"#) }
    }

    @Test func splitMultiLineActionList() {
        let text = "iptables-multiport[port=\"ssh\", protocol=\"tcp\"]\n         threatjammer[threatjammer_apikey=\"K, L\"]\n  sendmail"
        #expect(OptionSpec.split(text) == ["iptables-multiport[port=\"ssh\", protocol=\"tcp\"]", "threatjammer[threatjammer_apikey=\"K, L\"]", "sendmail"])
        #expect(OptionSpec.split("a[x=1,\n  y=2] b") == ["a[x=1,\n  y=2]", "b"])
    }

    @Test func splitWords() {
        #expect(OptionSpec.splitWords("127.0.0.1/8 ::1,10.0.0.1\n  192.168.0.0/16") == ["127.0.0.1/8", "::1", "10.0.0.1", "192.168.0.0/16"])
    }
}

@Suite struct TimeAbbreviationTests {
    @Test(arguments: [("600", 600.0), ("10m", 600), ("1h", 3600), ("1d12h30m", 131400), ("1w", 604800),
                      ("1mo", 2629800), ("1y", 31557600), ("-1", -1), ("2d 3h", 183600), ("1year-6mo", 15778800),
                      ("1hour+30min", 5400), ("30s", 30), ("1.5", 1.5)])
    func seconds(text: String, expected: Double) throws {
        #expect(try TimeAbbreviation.seconds(text) == expected)
    }

    @Test func invalid() {
        #expect(throws: TimeAbbreviation.Invalid.self) { try TimeAbbreviation.seconds("ten minutes") }
        #expect(throws: TimeAbbreviation.Invalid.self) { try TimeAbbreviation.seconds("") }
    }

    /// As `fail2ban-client --str2sec` (fail2ban 1.0.2) prints them: an int or a float.
    @Test(arguments: [("1h30m", TimeAbbreviation.Seconds.int(5400)), ("1mo", .float(2629800)), ("3600/2", .float(1800)),
                      ("10/2h", .float(18000)), ("1e+16", .float(1e16)), ("-1h", .int(-3600)), ("1.", .float(1)),
                      ("1w2d", .int(777600)), ("(1h+1m)*2", .int(7320))])
    func evaluate(text: String, expected: TimeAbbreviation.Seconds) {
        #expect(TimeAbbreviation.evaluate(text) == expected)
    }

    /// What fail2ban's `str2seconds` refuses.
    @Test(arguments: ["(1h) 30m", "1 2 3", "1e5", "inf", "nan", "0x10", "1secs", "1/0"])
    func refuses(text: String) {
        #expect(TimeAbbreviation.evaluate(text) == nil)
    }
}
