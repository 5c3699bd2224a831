import Testing
@testable import PortcullisFilter

@Suite struct PythonRegexDialectTests {
    @Test func openLowerBoundQuantifier() {
        #expect(PythonRegexDialect.toPCRE2("a{,3}b") == "a{0,3}b")
        #expect(PythonRegexDialect.toPCRE2(#"a\{,3}"#) == #"a\{,3}"#)
        #expect(PythonRegexDialect.toPCRE2("[{,3}]") == "[{,3}]")
    }
    @Test func endOfString() {
        #expect(PythonRegexDialect.toPCRE2(#"foo\Z"#) == #"foo\z"#)
        #expect(PythonRegexDialect.toPCRE2(#"foo\\Z"#) == #"foo\\Z"#)
    }
    @Test func scopedFlags() {
        #expect(PythonRegexDialect.toPCRE2("x(?:(?i)abc)") == "x(?i:abc)")
        #expect(PythonRegexDialect.toPCRE2("x((?i)abc)") == "x(?i:abc)")
    }
    @Test func compiledEndOfStringDoesNotMatchBeforeNewline() throws {
        let r = try CompiledRegex(pcre2: PythonRegexDialect.toPCRE2(#"foo\Z"#))
        #expect(r.search("foo\n") == .noMatch)
        #expect(r.search("foo") == .matched)
    }
    @Test func namedGroupsAndDuplicates() throws {
        let r = try CompiledRegex(pcre2: #"(?:a(?P<ip>\d+)|b(?P<ip>\d+))"#)
        #expect(r.search("b42") == .matched)
        #expect(r.range(ofGroup: "ip") == 1..<3)
    }
    @Test func badPatternReportsOffset() {
        do {
            _ = try CompiledRegex(pcre2: "abc(def")
            Issue.record("should not compile")
        } catch {
            #expect(error.offset == 7)
        }
    }
}
