import Testing
import PortcullisConfig
import PortcullisTestSupport
@testable import PortcullisFilter

/// The prefregex's `(?P<content>.+)$` tail cut short (``ContentTail``) must find what the full
/// pattern finds, and is refused wherever that might not hold.
@Suite struct ContentTailTests {
    @Test func shortensOnlyPlainTopLevelTails() {
        let tail = ContentTail.tail
        #expect(ContentTail.shortened(#"^\s*\S+ sshd\[\d+\]: "# + tail, multiline: false) != nil)
        #expect(ContentTail.shortened(#"^(?:a|b)[|)(]\(x\) "# + tail, multiline: false) != nil)
        #expect(ContentTail.shortened(#"^\Q(|\E "# + tail, multiline: false) != nil)
        #expect(ContentTail.shortened(#"^[[:alpha:]\]|]+ "# + tail, multiline: false) != nil)
        // Not at the top level, or options that change `.`, `$` or newlines.
        #expect(ContentTail.shortened(#"^a|b"# + tail, multiline: false) == nil)
        #expect(ContentTail.shortened(#"^(?:a"# + tail + ")", multiline: false) == nil)
        #expect(ContentTail.shortened(#"(?s)^a "# + tail, multiline: false) == nil)
        #expect(ContentTail.shortened(#"^(?m:a) "# + tail, multiline: false) == nil)
        #expect(ContentTail.shortened(#"(*CR)^a "# + tail, multiline: false) == nil)
        #expect(ContentTail.shortened(#"^(?x) a # c"# + tail, multiline: false) == nil)
        #expect(ContentTail.shortened(#"^a "# + tail, multiline: true) == nil)
        #expect(ContentTail.shortened(#"^a (?P<content>.+)"#, multiline: false) == nil)
    }

    @Test func aLineWithANewlineInsideUsesTheFullTail() throws {
        let f = try LineFilter(definition: FilterDefinition(
            name: "t", failRegex: [#"^Failed \S+ from <HOST>"#],
            prefRegex: #"^\s*\S+ sshd\[\d+\]: <F-CONTENT>.+</F-CONTENT>$"#))
        #expect(f.prefRegex?.shortContent != nil)
        #expect(f.process("host sshd[1]: Failed x from 192.0.2.1", now: 0).first?.id == "192.0.2.1")
        // `.+$` cannot run across the inner newline: the prefregex does not match.
        #expect(f.process("host sshd[1]: Failed x from 192.0.2.1\nmore", now: 0).isEmpty)
        #expect(!f.lastPrefRegexMatched)
    }

    @Test func shortTailFindsWhatTheFullTailFinds() throws {
        var compared = 0
        for (name, definition, lines) in try FastPathTests.stockFilters() {
            guard let filter = FastPathTests.filter(definition), let pref = filter.prefRegex, let short = pref.shortContent
            else { continue }
            let full = pref.compiled
            for line in lines {
                let subject = Array(line.utf8) + [0x0A]
                subject.withUnsafeBufferPointer { s in
                    let ascii = ValidUTF8.isASCII(s)
                    let a = full.search(s, ascii: ascii)
                    let fullGroups = (0...full.captureCount).map { full.range(ofGroup: Int32($0)) }
                    let b = short.search(s, ascii: ascii)
                    var shortGroups = (0...short.captureCount).map { short.range(ofGroup: Int32($0)) }
                    #expect(a == b, "\(name): \(line)")
                    if a == .matched && b == .matched {
                        // Group 0 and the content end at the "\n" for the full tail.
                        for n in [0] + (full.groupNumbers["content"] ?? []).map(Int.init) {
                            if let r = shortGroups[n] { shortGroups[n] = r.lowerBound..<(s.count - 1) }
                        }
                        #expect(fullGroups == shortGroups, "\(name): \(line)")
                    }
                    compared += 1
                }
            }
        }
        #expect(compared > 300)
    }
}
