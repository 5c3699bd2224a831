/// Zone names and offsets as fail2ban understands them (`strptime.validateTimeZone`,
/// `zone2offset`): fixed offsets only, no DST rules.
///
/// fail2ban reads `%z` (`+0100`, `+01:00`, `+01`, `Z`, `UTC`, `GMT`), `%Z` (an abbreviation
/// from its own table, optionally followed by an offset) and `logtimezone`
/// (`UTC+0200`, `CET`, …) into minutes east of UTC. Its failures differ: a malformed text is
/// a `ValueError` (the date is unusable), an unknown abbreviation a `KeyError` (the whole
/// line is dropped); ``Lookup`` keeps that difference.
enum ZoneOffset {
    enum Lookup: Equatable {
        case minutes(Int)
        /// Python's `ValueError`: the text does not look like a zone.
        case invalid
        /// Python's `KeyError`: an abbreviation missing from the table.
        case unknownAbbreviation
    }

    /// `validateTimeZone(text)` / `zone2offset(text)`: `(ABBR)?([+-][01]\d(:?\d\d)?)?` to the end.
    static func parse<C: Collection>(_ text: C) -> Lookup where C.Element == UInt8 {
        let bytes = Array(text)
        var i = 0
        // Abbreviation: [A-Z] or [A-Z]{3,5}, greedy, then backtracking as the regex would.
        var letters = 0
        while letters < bytes.count, bytes[letters] >= 65, bytes[letters] <= 90 { letters += 1 }
        // Candidate abbreviation lengths in the order Python's regex tries them.
        var candidates: [Int] = []
        if letters >= 1 {
            for n in stride(from: min(letters, 5), through: 3, by: -1) { candidates.append(n) }
            candidates.append(1)
        }
        candidates.append(0)
        for abbrLength in candidates {
            i = abbrLength
            if let offset = parseOffset(bytes, from: i) {
                let abbr = String(decoding: bytes[0..<abbrLength], as: UTF8.self)
                guard let base = abbreviations[abbr] else { return .unknownAbbreviation }
                return .minutes(base + offset)
            }
        }
        return .invalid
    }

    /// Allocation-free path for the common `+hh`, `+hhmm`, `+hh:mm` (no abbreviation).
    @inline(__always)
    static func numericOffset(_ line: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
        let n = r.count
        guard n == 3 || n == 5 || n == 6 else { return nil }
        let b = r.lowerBound
        let sign = line[b]
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        @inline(__always) func digit(_ i: Int) -> Int? {
            let d = line[i] &- 48; return d <= 9 ? Int(d) : nil
        }
        guard let h1 = digit(b + 1), h1 <= 1, let h2 = digit(b + 2) else { return nil }
        var minutes = (h1 * 10 + h2) * 60
        if n > 3 {
            var j = b + 3
            if n == 6 {
                guard line[j] == UInt8(ascii: ":") else { return nil }
                j += 1
            }
            guard let m1 = digit(j), let m2 = digit(j + 1) else { return nil }
            minutes += m1 * 10 + m2
        }
        return sign == UInt8(ascii: "-") ? -minutes : minutes
    }

    /// The offset part `([+-][01]\d(:?\d\d)?)?` followed by the end; nil when it does not fit.
    private static func parseOffset(_ b: [UInt8], from start: Int) -> Int? {
        let n = b.count - start
        if n == 0 { return 0 }
        func digit(_ i: Int) -> Int? {
            let c = b[i]; return c >= 48 && c <= 57 ? Int(c - 48) : nil
        }
        guard n >= 3, b[start] == UInt8(ascii: "+") || b[start] == UInt8(ascii: "-"),
              b[start + 1] == UInt8(ascii: "0") || b[start + 1] == UInt8(ascii: "1"),
              let h2 = digit(start + 2) else { return nil }
        let sign = b[start] == UInt8(ascii: "-") ? -1 : 1
        let hours = Int(b[start + 1] - 48) * 10 + h2
        if n == 3 { return sign * hours * 60 }
        var j = start + 3
        if b[j] == UInt8(ascii: ":") { j += 1 }
        guard b.count - j == 2, let m1 = digit(j), let m2 = digit(j + 1) else { return nil }
        return sign * (hours * 60 + m1 * 10 + m2)
    }

    /// fail2ban's `TZ_STR` table: offset in hours, then the abbreviations with that offset.
    private static let table = """
        -12 Y
        -11 X NUT SST
        -10 W CKT HAST HST TAHT TKT
        -9 V AKST GAMT GIT HADT HNY
        -8 U AKDT CIST HAY HNP PST PT
        -7 T HAP HNR MST PDT
        -6 S CST EAST GALT HAR HNC MDT
        -5 R CDT COT EASST ECT EST ET HAC HNE PET
        -4 Q AST BOT CLT COST EDT FKT GYT HAE HNA PYT
        -3 P ADT ART BRT CLST FKST GFT HAA PMST PYST SRT UYT WGT
        -2 O BRST FNT PMDT UYST WGST
        -1 N AZOT CVT EGT
        0 Z EGST GMT UTC WET WT
        1 A CET DFT WAT WEDT WEST
        2 B CAT CEDT CEST EET SAST WAST
        3 C EAT EEDT EEST IDT MSK
        4 D AMT AZT GET GST KUYT MSD MUT RET SAMT SCT
        5 E AMST AQTT AZST HMT MAWT MVT PKT TFT TJT TMT UZT YEKT
        6 F ALMT BIOT BTT IOT KGT NOVT OMST YEKST
        7 G CXT DAVT HOVT ICT KRAT NOVST OMSST THA WIB
        8 H ACT AWST BDT BNT CAST HKT IRKT KRAST MYT PHT SGT ULAT WITA WST
        9 I AWDT IRKST JST KST PWT TLT WDT WIT YAKT
        10 K AEST ChST PGT VLAT YAKST YAPT
        11 L AEDT LHDT MAGT NCT PONT SBT VLAST VUT
        12 M ANAST ANAT FJT GILT MAGST MHT NZST PETST PETT TVT WFT
        13 FJST NZDT
        11.5 NFT
        10.5 ACDT LHST
        9.5 ACST
        6.5 CCT MMT
        5.75 NPT
        5.5 SLT
        4.5 AFT IRDT
        3.5 IRST
        -2.5 HAT NDT
        -3.5 HNT NST NT
        -4.5 HLV VET
        -9.5 MART MIT
        """

    /// Abbreviation → minutes east of UTC; "" (no abbreviation) is 0.
    static let abbreviations: [String: Int] = {
        var result: [String: Int] = ["": 0]
        for line in table.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard let hours = Double(words[0]) else { continue }
            // Python: int(float(h) * 60), truncation toward zero.
            let minutes = Int(hours * 60)
            for abbr in words.dropFirst() { result[String(abbr)] = minutes }
        }
        return result
    }()

    /// fail2ban's `validateTimeZone` for `logtimezone`: minutes, or an error.
    static func validate(_ zone: String) throws(DatePatternError) -> Int {
        switch parse(Array(zone.utf8)) {
        case .minutes(let m): return m
        case .invalid, .unknownAbbreviation:
            throw DatePatternError(pattern: zone, reason: .unknownTimeZone)
        }
    }
}
