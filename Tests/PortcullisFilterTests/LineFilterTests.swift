import Testing
import PortcullisConfig
@testable import PortcullisFilter

@Suite struct LineFilterTests {
    static let now: Double = 1_700_000_000

    func filter(_ fail: [String], ignore: [String] = [], pref: String? = nil, maxLines: Int = 1,
                checkAll: Bool = false) throws -> LineFilter {
        var options = LineFilter.Options()
        options.checkAllRegex = checkAll
        let definition = FilterDefinition(name: "t", failRegex: fail, ignoreRegex: ignore, prefRegex: pref, maxLines: maxLines)
        return try LineFilter(definition: definition, options: options)
    }

    @Test func hostTagFindsIPv4AndIPv6() throws {
        let f = try filter([#"Invalid user \S+ from <HOST>"#])
        #expect(f.process("Invalid user bob from 192.0.2.7", now: Self.now).first?.id == "192.0.2.7")
        #expect(f.process("Invalid user bob from 2001:DB8::0:1", now: Self.now).first?.id == "2001:db8::1")
        #expect(f.process("Invalid user bob from ::ffff:198.51.100.3", now: Self.now).first?.id == "198.51.100.3")
        #expect(f.process("Invalid user bob from [2001:db8::5]", now: Self.now).first?.id == "2001:db8::5")
        #expect(f.process("Accepted password for bob", now: Self.now).isEmpty)
    }

    @Test func userNameContainingFromDoesNotBanTheWrongAddress() throws {
        // A hostile user name must not decide which address is banned: the regex anchors the real one.
        let f = try filter([#"^Invalid user <F-USER>.*?</F-USER> from <HOST>(?: port \d+)?\s*$"#])
        let found = f.process("Invalid user admin from 1.2.3.4 from 203.0.113.9 port 22", now: Self.now)
        #expect(found.first?.id == "203.0.113.9")
        #expect(found.first?.fields["user"] == "admin from 1.2.3.4")
    }

    @Test func prefRegexContentAndIgnoreRegex() throws {
        let f = try filter([#"^Failed \S+ for <F-USER>\S+</F-USER> from <HOST>"#],
                           ignore: [#"for root from"#],
                           pref: #"^\s*\S+ sshd\[\d+\]: <F-CONTENT>.+</F-CONTENT>$"#)
        let hit = f.process("host sshd[12]: Failed password for bob from 192.0.2.1 port 22", now: Self.now)
        #expect(hit.first?.id == "192.0.2.1")
        #expect(hit.first?.fields["user"] == "bob")
        #expect(f.lastPrefRegexMatched)
        #expect(f.process("host sshd[12]: Failed password for root from 192.0.2.1", now: Self.now).isEmpty)
        #expect(f.lastIgnoredBy == [0])
        #expect(f.process("host cron[1]: Failed password for bob from 192.0.2.1", now: Self.now).isEmpty)
        #expect(!f.lastPrefRegexMatched)
    }

    @Test func failureIDAndSubnet() throws {
        let f = try filter([#"session <F-ID>\w+</F-ID> from <HOST>"#, #"net <SUBNET>"#])
        let id = f.process("session abc from 192.0.2.1", now: Self.now).first
        #expect(id?.id == "abc")
        #expect(id?.address == "192.0.2.1")
        #expect(f.process("net 10.1.2.3/16", now: Self.now).first?.id == "10.1.0.0/16")
    }

    @Test func altAndTupleGroups() throws {
        let f = try filter([#"user=<F-ALT_USER>\S*</F-ALT_USER> rhost=<HOST>(?: user=<F-USER>\S+</F-USER>)?"#])
        #expect(f.process("user=alice rhost=192.0.2.2", now: Self.now).first?.fields["user"] == "alice")
        #expect(f.process("user=alice rhost=192.0.2.2 user=bob", now: Self.now).first?.fields["user"] == "bob")
    }

    @Test func multiLineWithSkipLines() throws {
        let f = try filter([#"^conn (?P<c>\d+) open from <HOST><SKIPLINES>conn (?P=c) auth failed$"#], maxLines: 5)
        #expect(f.process("conn 7 open from 192.0.2.9", now: Self.now).isEmpty)
        #expect(f.process("conn 8 open from 192.0.2.10", now: Self.now).isEmpty)
        let found = f.process("conn 7 auth failed", now: Self.now)
        #expect(found.first?.id == "192.0.2.9")
        #expect(found.first?.matches.count == 2)
        #expect(f.bufferedLineTexts == ["conn 8 open from 192.0.2.10"])
    }

    @Test func multiLineFailureIDMerging() throws {
        let f = try filter([
            #"^\[(?P<mlfid>\d+)\] connect from <HOST>$"#,
            #"^\[(?P<mlfid>\d+)\] auth failed for <F-USER>\S+</F-USER>$"#,
        ])
        // The address comes first and is pending; the failure arrives with the connection id.
        let first = f.process("[42] connect from 192.0.2.77", now: Self.now)
        #expect(first.first?.id == "192.0.2.77")
        let found = f.process("[42] auth failed for carol", now: Self.now)
        #expect(found.first?.id == "192.0.2.77")
        #expect(found.first?.users == ["carol"])
    }

    @Test func missingFailureIDGroupIsAnError() throws {
        #expect(throws: FilterCompileError.self) { try filter([#"no host here"#]) }
    }

    @Test func brokenRegexNamesTheOptionAndOffset() throws {
        do {
            _ = try filter([#"ok <HOST>"#, #"bad ( <HOST>"#])
            Issue.record("should not compile")
        } catch let error as FilterCompileError {
            #expect(error.option == "failregex")
            #expect(error.index == 2)
            #expect(error.description.contains("offset"))
        }
    }

    @Test func hostileLinesNeverCrashAndCostBoundedTime() throws {
        // Catastrophic backtracking pattern against a long line: the match limit stops it.
        let f = try filter([#"^(?:(a|aa)+$|x{5}y from <HOST>)"#, #"from <HOST>"#], checkAll: true)
        let long = String(repeating: "a", count: 100_000) + "!"
        #expect(f.process(long, now: Self.now).isEmpty)
        #expect(f.limitExceededCount >= 1)
        // Invalid UTF-8 is repaired before matching.
        let bytes: [UInt8] = Array("x from 192.0.2.5 ".utf8) + [0xff, 0xfe, 0xc3]
        let found = bytes.withUnsafeBufferPointer { raw in
            ValidUTF8.withValidated(raw) { f.process(line: $0, now: Self.now) }
        }
        #expect(found.first?.id == "192.0.2.5")
        // A megabyte line with many address-like tokens.
        let big = String(repeating: "1.2.3.4 from ", count: 80_000)
        _ = f.process(big, now: Self.now)
    }
}
