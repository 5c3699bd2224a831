/// fail2ban 1.0.2's default date templates (`DateDetectorCache.DEFAULT_TEMPLATES`), in its
/// order, and the ways a `datepattern` pulls them in (`{^LN-BEG}`, `{DEFAULT}`, `{DATE}`).
///
/// Order matters: the detector tries templates in this order until its reordering learns
/// the log's format, and the first acceptable match decides where the date is.
enum DefaultTemplates {
    static let patterns: [String] = [
        // ISO 8601 / simple date: 2005-01-23T21:59:59.981746, 2005/01/23 21:59:59, 2006.12.21 06:43:20
        #"%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\s*%z)?"#,
        // asctime, optional weekday, fraction, year: Sun Jan 23 21:59:59.011 2005
        #"(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?"#,
        // asctime with the year after the day: Sun Jan 23 2005 21:59:59.011
        #"(?:%a )?%b %d %ExY %k:%M:%S(?:\.%f)?"#,
        // 23/01/2005 21:59:59, 23/01/05 21:59:59, 17-07-2008 17:23:25
        #"%d(?P<_sep>[-/])%m(?P=_sep)(?:%ExY|%Exy) %k:%M:%S"#,
        // Apache [31/Oct/2006:09:22:55 -0000], 26-Jul-2007 15:20:52.252 +0200
        #"%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\.%f)?(?: %z)?"#,
        // CPanel 05/20/2008:01:57:39
        #"%m/%d/%ExY:%H:%M:%S"#,
        // 01-27-2012 16:22:44.252
        #"%m-%d-%ExY %k:%M:%S(?:\.%f)?"#,
        "EPOCH",
        // time only
        "{^LN-BEG}%H:%M:%S",
        // <09/16/08@05:03:30>
        "^<%m/%d/%Exy@%H:%M:%S>",
        // MySQL 130322 11:46:11
        "%Exy%Exm%Exd  ?%H:%M:%S",
        // Apache Tomcat
        "%b %d, %ExY %I:%M:%S %p",
        // ASSP Apr-27-13 02:33:06
        "^%b-%d-%Exy %k:%M:%S",
        // 20050123T215959, 20050123 215959
        #"%ExY%Exm%Exd(?:T|  ?)%ExH%ExM%ExS(?:[.,]%f)?(?:\s*%z)?"#,
        // monit: PDT Apr 16 21:05:29
        #"(?:%Z )?(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?"#,
        // +00:00 Jan 23 21:59:59.011 2005
        #"(?:%z )?(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?"#,
        "TAI64N",
    ]

    /// The default templates (fresh instances: a detector owns its compiled regexes).
    static func plain() -> [DateTemplate] {
        patterns.map { try! DateTemplate.make(pattern: $0) }
    }

    /// fail2ban's cached list: a line-anchored, weight-100 copy of every template not
    /// anchored already, all of them first, then the plain templates.
    static func full() -> [DateTemplate] {
        var anchored: [DateTemplate] = []
        var plainList: [DateTemplate] = []
        for (pattern, template) in zip(patterns, plain()) {
            if !template.name.hasPrefix("{^LN-BEG}") && !template.name.hasPrefix("^") {
                let wrapped: String
                switch template.kind {
                case .pattern: wrapped = "{^LN-BEG}" + pattern
                default: wrapped = "{^LN-BEG}" + template.name
                }
                let copy = try! DateTemplate.make(pattern: wrapped)
                if copy.name != template.name {
                    copy.weight = 100
                    anchored.append(copy)
                }
            }
            plainList.append(template)
        }
        return anchored + plainList
    }

    /// `{DATE}` in a datepattern: every plain default template substituted into it
    /// (without its own anchoring), e.g. `^[^\[]*\[({DATE})`.
    static func substituted(into preMatch: String) throws(DatePatternError) -> [DateTemplate] {
        var result: [DateTemplate] = []
        for (pattern, template) in zip(patterns, plain()) {
            let source: String
            switch template.kind {
            case .pattern: source = pattern
            default: source = template.name
            }
            let replacement = unboundPattern(source)
            let bytes = Array(preMatch.utf8)
            var out: [UInt8] = []
            var i = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "{"), i + 6 <= bytes.count,
                   String(decoding: bytes[i..<(i + 6)], as: UTF8.self).uppercased() == "{DATE}",
                   i == 0 || bytes[i - 1] != UInt8(ascii: "\\") {
                    out += Array(replacement.utf8)
                    i += 6
                    continue
                }
                out.append(bytes[i]); i += 1
            }
            result.append(try DateTemplate.make(pattern: String(decoding: out, as: UTF8.self)))
        }
        return result
    }

    /// `DateTemplate.unboundPattern`: strips `{UNB}`, `{^LN-BEG}` and the explicit word
    /// boundaries fail2ban itself would add.
    static func unboundPattern(_ pattern: String) -> String {
        var p = pattern
        if p.hasPrefix("{UNB}") { p.removeFirst(5) }
        if p.hasPrefix("{^LN-BEG}") { p.removeFirst(9) }
        for prefix in [#"(^|\b|\W)"#, #"(?:^|\b|\W)"#] where p.hasPrefix(prefix) {
            p.removeFirst(prefix.count)
            break
        }
        if p.hasSuffix(#"(?=\b|\W|$)"#) { p.removeLast(#"(?=\b|\W|$)"#.count) }
        return p
    }
}
