import Testing
@testable import PortcullisFilter

/// The hand-written scanners must give exactly what PCRE2 gives with the template's regex:
/// two detectors, one with the scanners off, read the same mutated lines.
@Suite struct DateFastScannerTests {
    init() { DateTestZone.set() }

    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let seeds = [
        "Jan 23 21:59:59 host sshd[1]: x",
        "Sun Jan 23 21:59:59 2005 x",
        "Jan  3 01:02:03 host",
        "Dec 31 23:59:59.123 host",
        "2005-01-23T21:59:59.981746+01:00 foo",
        "2005-01-23 21:59:59 +0100 x",
        "2005/01/23 21:59:59Z x",
        "2005.01.23 21:59:59,123 UTC x",
        "2005-01-23 21:59:59",
        "2005-01-23T21:59:59-05:30",
    ]
    static let alphabet: [String] = ["0", "1", "2", "3", "5", "6", "9", " ", "  ", ":", ".", ",", "T", "Z", "+", "-", "/",
                                     "a", "J", "n", "x", "_", "é", "\t", "\r", "[", "UTC", "GMT", "2005", ""]

    @Test func scannersAgreeWithPCRE2() {
        var rng = Rng(state: 42)
        let fast = DateDetector()
        let slow = DateDetector()
        slow.useFastPaths = false
        var compared = 0
        for round in 0..<30_000 {
            var chars = Array(Self.seeds[rng.below(Self.seeds.count)])
            let mutations = rng.below(3)
            for _ in 0..<mutations where !chars.isEmpty {
                let at = rng.below(chars.count + 1)
                let replacement = Array(Self.alphabet[rng.below(Self.alphabet.count)])
                let remove = at < chars.count ? rng.below(2) : 0
                chars.replaceSubrange(at..<(at + remove), with: replacement)
            }
            let line = String(chars)
            let now = 1106513999.0 + Double(round)
            let a = fast.match(line, now: now)
            let b = slow.match(line, now: now)
            #expect(a == b, "\(line.debugDescription)")
            if a != b { break }
            compared += 1
        }
        #expect(compared == 30_000)
        #expect(fast.fastPathHits > 3_000)
        #expect(slow.fastPathHits == 0)
        #expect(fast.templateNames == slow.templateNames)
    }
}
