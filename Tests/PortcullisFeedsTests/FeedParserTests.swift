import Testing
import Foundation
@testable import PortcullisFeeds

/// The body → canonical address set step, including what hostile servers send.
@Suite struct FeedParserTests {
    func parse(_ text: String, ignoring: [String] = []) -> ParsedFeed {
        FeedParser(ignoring: ignoring).parse(Data(text.utf8))
    }

    @Test func commentsBlanksAndTrailingText() {
        let feed = parse("""
            # Krawl banlist
            ; generated 2024-05-01
            // another comment style

              192.0.2.1  \r
            192.0.2.2 # scanner
            192.0.2.3,bruteforce,2024-05-01
            192.0.2.4\t17
            192.0.2.5;x
            192.0.2.1
            """)
        #expect(feed.addresses == ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"])
        #expect(feed.invalidLines == 0)
        #expect(feed.invalidSamples.isEmpty)
    }

    @Test func networksAndIPv6AreCanonical() {
        let feed = parse("""
            10.0.0.7/24
            198.51.100.9/32
            0.0.0.0/0
            2001:DB8::1
            [2001:db8:0:0::2]
            2001:db8:abcd::/48
            2001:db8:1::1/128
            ::ffff:203.0.113.5
            """)
        #expect(feed.addresses == ["10.0.0.0/24", "198.51.100.9", "0.0.0.0/0", "2001:db8::1", "2001:db8::2",
                                   "2001:db8:abcd::/48", "2001:db8:1::1", "203.0.113.5"])
        #expect(feed.invalidLines == 0)
    }

    @Test func invalidLinesAreCountedAndSampled() {
        let feed = parse("""
            ip,category
            256.1.1.1
            1.2.3
            01.2.3.4
            1.2.3.4/33
            <html><body>502 Bad Gateway</body></html>
            example.org
            fe80::1%eth0
            1.2.3.4
            """)
        #expect(feed.addresses == ["1.2.3.4"])
        #expect(feed.invalidLines == 8)
        #expect(feed.invalidSamples == ["ip,category", "256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4/33"])
    }

    @Test func ignoreIPLeavesOutWhatItCovers() {
        let feed = parse("127.0.0.1\n10.1.2.3\n10.0.0.0/8\n10.1.0.0/16\n192.0.2.1\n::1\n2001:db8::1\n",
                         ignoring: ["127.0.0.1/8", "10.1.0.0/16", "::1", "localhost"])
        // 10.0.0.0/8 is wider than the ignored network: kept (it cannot be split here).
        #expect(feed.addresses == ["10.0.0.0/8", "192.0.2.1", "2001:db8::1"])
        #expect(feed.ignoredLines == 4)
    }

    @Test func hostileBytesNeverCrash() {
        var bytes = [UInt8]()
        bytes += Array("1.2.3.4\0.5.6.7\n".utf8)                 // NUL inside an address
        bytes += [0xff, 0xfe, 0x80, 0x0a]                          // invalid UTF-8
        bytes += Array(repeating: UInt8(ascii: "9"), count: 5_000_000) + [0x0a]   // a 5 MB line
        bytes += Array("::1:2:3:4:5:6:7:8:9\n".utf8)
        bytes += Array("[]\n/\n.\n:\n/24\n1.2.3.4/\n1.2.3.4//8\n".utf8)
        bytes += Array(repeating: 0x0a, count: 1000)               // blank lines
        bytes += Array("198.51.100.1".utf8)                         // last line without newline
        let feed = bytes.withUnsafeBytes { FeedParser().parse(bytes: $0) }
        #expect(feed.addresses == ["198.51.100.1"])
        #expect(feed.invalidLines == 11)
        #expect(feed.invalidSamples[0] == #"1.2.3.4\x00.5.6.7"#)
        #expect(feed.invalidSamples[1] == #"\xff\xfe\x80"#)
        #expect(feed.invalidSamples[2].hasSuffix("…") && feed.invalidSamples[2].count == FeedParser.sampleLength + 1)
        #expect(FeedParser().parse(Data()).addresses.isEmpty)
        #expect(parse("\n\n\r\n  \t\n").invalidLines == 0)
    }

    @Test func oneMillionLines() {
        var text = "# a million addresses\n"
        text.reserveCapacity(16_000_000)
        for i in 0..<1_000_000 {
            text += "\(10 + i >> 24 & 0x7f).\(i >> 16 & 0xff).\(i >> 8 & 0xff).\(i & 0xff)\n"
        }
        let data = Data(text.utf8)
        let started = ContinuousClock.now
        let feed = FeedParser().parse(data)
        let elapsed = ContinuousClock.now - started
        print("FeedParser: 1,000,000 lines (\(data.count) bytes) parsed in \(elapsed)")
        #expect(feed.addresses.count == 1_000_000)
        #expect(feed.invalidLines == 0)
        #expect(elapsed < .seconds(20))   // debug builds; release is well under 1 s
    }

    @Test func diffIsSortedAndExact() {
        let diff = FeedDiff(old: ["1.1.1.1", "2.2.2.2", "3.3.3.3"], new: ["3.3.3.3", "10.0.0.1", "2.2.2.2", "9.9.9.9"])
        #expect(diff.add == ["10.0.0.1", "9.9.9.9"])
        #expect(diff.remove == ["1.1.1.1"])
        #expect(FeedDiff(old: ["a"], new: ["a"]).isEmpty)
    }
}
