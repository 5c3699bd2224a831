@testable import PortcullisFilter

// Generated from fail2ban 1.0.2 under TZ=CET-01CEST-02,M3.5.0,M10.5.0 (see /tmp/dgen/gen.py).
let fail2banCases: [DateCase] = [
    DateCase(patterns: nil, zone: nil, now: 1106513999.0, lines: [
        ("2005-01-23T21:59:59.981746 foo", DateMatch(range: 0..<26, time: 1106513999.0, dropsLine: false)),
        ("2005-01-23 21:59:59 foo", DateMatch(range: 0..<19, time: 1106513999.0, dropsLine: false)),
        ("2005/01/23 21:59:59 foo", DateMatch(range: 0..<19, time: 1106513999.0, dropsLine: false)),
        ("2005.01.23 21:59:59 foo", DateMatch(range: 0..<19, time: 1106513999.0, dropsLine: false)),
        ("2005-01-23  8:59:59 foo", DateMatch(range: 0..<19, time: 1106467199.0, dropsLine: false)),
        ("2005-01-23T21:59:59.981746+01:00 foo", DateMatch(range: 0..<32, time: 1106513999.0, dropsLine: false)),
        ("2005-01-23T20:59:59Z foo", DateMatch(range: 0..<20, time: 1106513999.0, dropsLine: false)),
        ("2005-01-23T21:59:59 +0300 foo", DateMatch(range: 0..<25, time: 1106506799.0, dropsLine: false)),
    ]),
    DateCase(patterns: nil, zone: nil, now: 1106513999.0, lines: [
        ("Sun Jan 23 21:59:59 2005 x", DateMatch(range: 0..<24, time: 1106513999.0, dropsLine: false)),
        ("Sun Jan 23 21:59:59.011 2005 x", DateMatch(range: 0..<28, time: 1106513999.0, dropsLine: false)),
        ("Jan 23 21:59:59 host sshd[1]: x", DateMatch(range: 0..<15, time: 1106513999.0, dropsLine: false)),
        ("Jan  3 21:59:59 host", DateMatch(range: 0..<15, time: 1104785999.0, dropsLine: false)),
        ("Jan 23 2005 21:59:59.011 x", DateMatch(range: 0..<24, time: 1106513999.0, dropsLine: false)),
        ("Sun Jan 23 2005 21:59:59 x", DateMatch(range: 0..<24, time: 1106513999.0, dropsLine: false)),
    ]),
    DateCase(patterns: nil, zone: nil, now: 1106513999.0, lines: [
        ("23/01/2005 21:59:59 x", DateMatch(range: 0..<19, time: 1106513999.0, dropsLine: false)),
        ("23/01/05 21:59:59 x", DateMatch(range: 0..<17, time: 1106513999.0, dropsLine: false)),
        ("17-07-2008 17:23:25 x", DateMatch(range: 0..<19, time: 1216308205.0, dropsLine: false)),
        ("23-01-2005 21:59:59 x", DateMatch(range: 0..<19, time: 1106513999.0, dropsLine: false)),
    ]),
    DateCase(patterns: nil, zone: nil, now: 1106513999.0, lines: [
        ("192.0.2.1 - - [23/Jan/2005:21:59:59 +0100] \"GET / HTTP/1.1\" 200", DateMatch(range: 15..<41, time: 1106513999.0, dropsLine: false)),
        ("192.0.2.1 - - [23/Jan/2005:21:59:59 -0500] \"GET /\"", DateMatch(range: 15..<41, time: 1106535599.0, dropsLine: false)),
        ("26-Jul-2007 15:20:52 x", DateMatch(range: 0..<20, time: 1185456052.0, dropsLine: false)),
        ("26-Jul-2007 15:20:52.252 named", DateMatch(range: 0..<24, time: 1185456052.0, dropsLine: false)),
        ("26-Jul-2007 15:20:52 +0200 roundcube", DateMatch(range: 0..<26, time: 1185456052.0, dropsLine: false)),
    ]),
    DateCase(patterns: nil, zone: nil, now: 1106513999.0, lines: [
        ("05/20/2008:01:57:39 cpanel", DateMatch(range: 0..<19, time: 1211241459.0, dropsLine: false)),
        ("01-27-2012 16:22:44.252 x", DateMatch(range: 0..<23, time: 1327677764.0, dropsLine: false)),
        ("1106513999 x", DateMatch(range: 0..<10, time: 1106513999.0, dropsLine: false)),
        ("[1106513999.123456] nsd", DateMatch(range: 1..<18, time: 1106513999.123456, dropsLine: false)),
        ("type=AVC msg=audit(1106513999.999:1234): avc", DateMatch(range: 19..<33, time: 1106513999.999, dropsLine: false)),
        ("21:59:59 only time", DateMatch(range: 0..<8, time: 1106513999.0, dropsLine: false)),
        ("<01/23/05@21:59:59> x", DateMatch(range: 0..<19, time: 1106513999.0, dropsLine: false)),
        ("050123 21:59:59 mysql", DateMatch(range: 0..<15, time: 1106513999.0, dropsLine: false)),
        ("050123  1:59:59 mysql", DateMatch(range: 0..<15, time: 1106441999.0, dropsLine: false)),
        ("Jan 23, 2005 9:59:59 PM tomcat", DateMatch(range: 0..<23, time: 1106513999.0, dropsLine: false)),
        ("Jan 23, 2005 12:01:02 AM tomcat", DateMatch(range: 0..<24, time: 1106434862.0, dropsLine: false)),
        ("Apr-27-13 02:33:06 assp", DateMatch(range: 0..<18, time: 1367022786.0, dropsLine: false)),
        ("20050123T215959 x", DateMatch(range: 0..<15, time: 1106513999.0, dropsLine: false)),
        ("20050123 215959.123 x", DateMatch(range: 0..<19, time: 1106513999.0, dropsLine: false)),
        ("20050123T215959Z x", DateMatch(range: 0..<16, time: 1106517599.0, dropsLine: false)),
        ("PDT Jan 23 21:59:59 monit", DateMatch(range: 0..<19, time: 1106542799.0, dropsLine: false)),
        ("+0100 Jan 23 21:59:59 2005 x", DateMatch(range: 0..<26, time: 1106513999.0, dropsLine: false)),
        ("@4000000041f4104f00000000 x", DateMatch(range: 0..<25, time: 1106513999.0, dropsLine: false)),
    ]),
    DateCase(patterns: nil, zone: nil, now: 1106513999.0, lines: [
        ("no date here at all", nil),
        ("", nil),
        ("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", nil),
        ("1234567890123 long", nil),
        ("Feb 30 12:00:00 host", DateMatch(range: 0..<15, time: nil, dropsLine: false)),
        ("Jan 23 24:00:00 host", DateMatch(range: 0..<15, time: nil, dropsLine: false)),
        ("2005-01-23 21:59:60 x", DateMatch(range: 0..<19, time: nil, dropsLine: false)),
        ("error Jan 23 21:59:59 x", DateMatch(range: 0..<21, time: nil, dropsLine: false)),
        ("pdt Jan 23 21:59:59 x", DateMatch(range: 0..<19, time: nil, dropsLine: false)),
        ("FOOBA Jan 23 21:59:59 x", DateMatch(range: 0..<21, time: nil, dropsLine: true)),
    ]),
    DateCase(patterns: nil, zone: nil, now: 1104537600.0, lines: [
        ("Dec 31 23:59:59 host", DateMatch(range: 0..<15, time: 1104533999.0, dropsLine: false)),
        ("Jan  1 00:00:30 host", DateMatch(range: 0..<15, time: 1104534030.0, dropsLine: false)),
        ("Jan  2 00:00:01 host", DateMatch(range: 0..<15, time: 1104620401.0, dropsLine: false)),
        ("Jan  1 23:59:59 host", DateMatch(range: 0..<15, time: 1104620399.0, dropsLine: false)),
        ("Jan  2 01:00:01 host", DateMatch(range: 0..<15, time: 1073001601.0, dropsLine: false)),
        ("Dec 25 10:00:00 host", DateMatch(range: 0..<15, time: 1103965200.0, dropsLine: false)),
    ]),
    DateCase(patterns: nil, zone: nil, now: 1109635200.0, lines: [
        ("Feb 29 12:00:00 host", DateMatch(range: 0..<15, time: nil, dropsLine: false)),
        ("Mar  2 12:00:00 host", DateMatch(range: 0..<15, time: 1078225200.0, dropsLine: false)),
    ]),
    DateCase(patterns: nil, zone: nil, now: 1106524800.5, lines: [
        ("00:00:01 a", DateMatch(range: 0..<8, time: 1106521201.0, dropsLine: false)),
        ("23:59:59 b", DateMatch(range: 0..<8, time: 1106521199.0, dropsLine: false)),
        ("00:00:00 c", DateMatch(range: 0..<8, time: 1106521200.0, dropsLine: false)),
    ]),
    DateCase(patterns: nil, zone: nil, now: 1106513999.0, lines: [
        ("Jan 23 21:59:59 host x 2005-01-22 10:00:00", DateMatch(range: 0..<15, time: 1106513999.0, dropsLine: false)),
        ("Jan 23 21:59:59 host y", DateMatch(range: 0..<15, time: 1106513999.0, dropsLine: false)),
        ("prefix 2005-01-23 21:59:58 suffix", DateMatch(range: 7..<26, time: 1106513998.0, dropsLine: false)),
        ("Jan 23 21:59:57 host z", DateMatch(range: 0..<15, time: 1106513997.0, dropsLine: false)),
        ("Jan 23 21:59:56 host 1106513000 epoch", DateMatch(range: 0..<15, time: 1106513996.0, dropsLine: false)),
    ]),
    DateCase(patterns: nil, zone: "UTC", now: 1106513999.0, lines: [
        ("Jan 23 21:59:59 host", DateMatch(range: 0..<15, time: 1106517599.0, dropsLine: false)),
        ("2005-01-23 21:59:59 x", DateMatch(range: 0..<19, time: 1106517599.0, dropsLine: false)),
        ("2005-01-23 21:59:59 +0100 x", DateMatch(range: 0..<25, time: 1106513999.0, dropsLine: false)),
    ]),
    DateCase(patterns: nil, zone: "UTC+0200", now: 1106513999.0, lines: [
        ("Jan 23 21:59:59 host", DateMatch(range: 0..<15, time: 1106510399.0, dropsLine: false)),
        ("2005-01-23 21:59:59 x", DateMatch(range: 0..<19, time: 1106510399.0, dropsLine: false)),
    ]),
    DateCase(patterns: nil, zone: "EST", now: 1106513999.0, lines: [
        ("Jan 23 21:59:59 host", DateMatch(range: 0..<15, time: 1106535599.0, dropsLine: false)),
    ]),
    DateCase(patterns: nil, zone: nil, now: 1112400000.0, lines: [
        ("2005-03-27 01:59:59 a", DateMatch(range: 0..<19, time: 1111885199.0, dropsLine: false)),
        ("2005-03-27 02:30:00 gap", DateMatch(range: 0..<19, time: 1111887000.0, dropsLine: false)),
        ("2005-03-27 03:00:00 b", DateMatch(range: 0..<19, time: 1111885200.0, dropsLine: false)),
        ("2005-10-30 02:30:00 amb", DateMatch(range: 0..<19, time: 1130635800.0, dropsLine: false)),
        ("2005-10-30 03:00:00 c", DateMatch(range: 0..<19, time: 1130637600.0, dropsLine: false)),
        ("2005-10-30 01:59:59 d", DateMatch(range: 0..<19, time: 1130633999.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["%d/%b/%Y:%H:%M:%S %z"], zone: nil, now: 1106513999.0, lines: [
        ("1.2.3.4 - - [23/Jan/2005:21:59:59 +0100] \"GET\"", DateMatch(range: 13..<39, time: 1106513999.0, dropsLine: false)),
        ("23/jan/2005:21:59:59 -0130 x", DateMatch(range: 0..<26, time: 1106522999.0, dropsLine: false)),
        ("no", nil),
    ]),
    DateCase(patterns: ["^%Y-%m-%d %H:%M:%S"], zone: nil, now: 1106513999.0, lines: [
        ("2005-01-23 21:59:59 x", DateMatch(range: 0..<19, time: 1106513999.0, dropsLine: false)),
        (" 2005-01-23 21:59:59 x", nil),
    ]),
    DateCase(patterns: ["{^LN-BEG}%b-%d-%Exy %H:%M:%S"], zone: nil, now: 1106513999.0, lines: [
        ("Jan-23-05 21:59:59 x", DateMatch(range: 0..<18, time: 1106513999.0, dropsLine: false)),
        ("[Jan-23-05 21:59:59] x", DateMatch(range: 1..<19, time: 1106513999.0, dropsLine: false)),
        ("x Jan-23-05 21:59:59", nil),
    ]),
    DateCase(patterns: ["^%b %d, %ExY %I:%M:%S %p"], zone: nil, now: 1106513999.0, lines: [
        ("Jan 23, 2005 9:59:59 PM x", DateMatch(range: 0..<23, time: 1106513999.0, dropsLine: false)),
        ("Jan 23, 2005 12:00:00 PM x", DateMatch(range: 0..<24, time: 1106478000.0, dropsLine: false)),
        ("Jan 23, 2005 12:00:00 am x", DateMatch(range: 0..<24, time: 1106434800.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["EPOCH"], zone: nil, now: 1106513999.0, lines: [
        ("1106513999 x", DateMatch(range: 0..<10, time: 1106513999.0, dropsLine: false)),
        ("[1106513999.5] x", DateMatch(range: 1..<11, time: 1106513999.0, dropsLine: false)),
        ("x 1106513999", nil),
        ("1106513999123 x", nil),
    ]),
    DateCase(patterns: ["LEPOCH"], zone: nil, now: 1106513999.0, lines: [
        ("1106513999123 x", DateMatch(range: 0..<13, time: 1106513999.123, dropsLine: false)),
        ("1106513999123456 x", DateMatch(range: 0..<16, time: 1106513999.123456, dropsLine: false)),
        ("1106513999123.456 x", DateMatch(range: 0..<17, time: 1106513999.123456, dropsLine: false)),
        ("1106513999 x", DateMatch(range: 0..<10, time: 1106513999.0, dropsLine: false)),
        ("1106513999.25 x", DateMatch(range: 0..<10, time: 1106513999.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["{^LN-BEG}Epoch"], zone: nil, now: 1106513999.0, lines: [
        ("1106513999 x", DateMatch(range: 0..<10, time: 1106513999.0, dropsLine: false)),
        ("[1106513999] x", DateMatch(range: 1..<11, time: 1106513999.0, dropsLine: false)),
        ("x 1106513999", nil),
    ]),
    DateCase(patterns: ["^\\[{EPOCH}\\]"], zone: nil, now: 1106513999.0, lines: [
        ("[1106513999.123] x", DateMatch(range: 0..<16, time: 1106513999.123, dropsLine: false)),
        ("1106513999 x", nil),
    ]),
    DateCase(patterns: ["{^LN-BEG}TAI64N"], zone: nil, now: 1106513999.0, lines: [
        ("@4000000041f4104f00000000 x", DateMatch(range: 0..<25, time: 1106513999.0, dropsLine: false)),
        ("x @4000000041f4104f00000000", nil),
    ]),
    DateCase(patterns: ["TAI64N"], zone: nil, now: 1106513999.0, lines: [
        ("x @4000000041f4104f00000000", DateMatch(range: 2..<27, time: 1106513999.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["{NONE}"], zone: nil, now: 1106513999.0, lines: [
        ("Jan 23 21:59:59 whatever", DateMatch(range: 0..<0, time: nil, dropsLine: false)),
        ("anything", DateMatch(range: 0..<0, time: nil, dropsLine: false)),
    ]),
    DateCase(patterns: ["{^LN-BEG}"], zone: nil, now: 1106513999.0, lines: [
        ("Jan 23 21:59:59 host", DateMatch(range: 0..<15, time: 1106513999.0, dropsLine: false)),
        ("x Jan 23 21:59:59 host", nil),
        ("2005-01-23 21:59:59 x", DateMatch(range: 0..<19, time: 1106513999.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["^[^\\[]*\\[({DATE})"], zone: nil, now: 1106513999.0, lines: [
        ("host [23/Jan/2005:21:59:59 +0100] x", DateMatch(range: 6..<32, time: 1106513999.0, dropsLine: false)),
        ("host [2005-01-23 21:59:59] x", DateMatch(range: 6..<25, time: 1106513999.0, dropsLine: false)),
        ("host [Jan 23 21:59:59] x", DateMatch(range: 6..<21, time: 1106513999.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["^<\\d+>\\d+\\s+{DATE}"], zone: nil, now: 1106513999.0, lines: [
        ("<34>1 2005-01-23T21:59:59.003Z host x", DateMatch(range: 0..<30, time: 1106517599.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["^%Y-%m-%d %H:%M:%S", "^%d/%m/%Y %H:%M:%S"], zone: nil, now: 1106513999.0, lines: [
        ("2005-01-23 21:59:59 x", DateMatch(range: 0..<19, time: 1106513999.0, dropsLine: false)),
        ("23/01/2005 21:59:59 x", DateMatch(range: 0..<19, time: 1106513999.0, dropsLine: false)),
        ("2005-01-23 21:59:58 x", DateMatch(range: 0..<19, time: 1106513998.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["%H:%M:%S %d.%m"], zone: nil, now: 1106513999.0, lines: [
        ("21:59:59 23.01 x", DateMatch(range: 0..<14, time: 1106513999.0, dropsLine: false)),
        ("23:59:59 25.01 x", DateMatch(range: 0..<14, time: 1075071599.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["%j %H:%M:%S"], zone: nil, now: 1106513999.0, lines: [
        ("023 21:59:59 x", DateMatch(range: 0..<12, time: 1106513999.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["%Y %U %a %H:%M"], zone: nil, now: 1106513999.0, lines: [
        ("2005 04 Sun 21:59 x", DateMatch(range: 0..<17, time: 1106513940.0, dropsLine: false)),
        ("2005 03 Mon 10:00 x", DateMatch(range: 0..<17, time: 1105952400.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["%Y %W %w %H:%M"], zone: nil, now: 1106513999.0, lines: [
        ("2005 03 0 21:59 x", DateMatch(range: 0..<15, time: 1106513940.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["%Y-%m-%d %H:%M:%S %Z"], zone: nil, now: 1106513999.0, lines: [
        ("2005-01-23 21:59:59 PST x", DateMatch(range: 0..<23, time: 1106546399.0, dropsLine: false)),
        ("2005-01-23 21:59:59 FOO x", DateMatch(range: 0..<23, time: nil, dropsLine: true)),
        ("2005-01-23 21:59:59 CEST x", DateMatch(range: 0..<24, time: 1106510399.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["%Y-%m-%d %H:%M:%S %Exz"], zone: nil, now: 1106513999.0, lines: [
        ("2005-01-23 21:59:59 EST+0100 x", DateMatch(range: 0..<28, time: 1106531999.0, dropsLine: false)),
        ("2005-01-23 21:59:59 GMT x", DateMatch(range: 0..<23, time: 1106517599.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["^(?P<Y>\\d{4})(?P<m>\\d\\d)(?P<d>\\d\\d)-(?P<H>\\d\\d)(?P<M>\\d\\d)(?P<S>\\d\\d)"], zone: nil, now: 1106513999.0, lines: [
        ("20050123-215959 x", DateMatch(range: 0..<15, time: 1106513999.0, dropsLine: false)),
        ("20051323-215959 x", DateMatch(range: 0..<15, time: nil, dropsLine: false)),
    ]),
    DateCase(patterns: ["^%Y-%m-%d %H:%M:%S(?:\\.%f)?"], zone: nil, now: 1106513999.0, lines: [
        ("2005-01-23 21:59:59.123456 x", DateMatch(range: 0..<26, time: 1106513999.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["{UNB}%H:%M:%S"], zone: nil, now: 1106513999.0, lines: [
        ("x12:34:56y", DateMatch(range: 1..<9, time: 1106480096.0, dropsLine: false)),
        ("  12:34:56", DateMatch(range: 2..<10, time: 1106480096.0, dropsLine: false)),
    ]),
    DateCase(patterns: ["^(?:%Y-)?%m-%d[ T]%H:%M:%S(?:\\.%f)?"], zone: nil, now: 1106513999.0, lines: [
        ("01-23 21:59:59 x", DateMatch(range: 0..<14, time: 1106513999.0, dropsLine: false)),
        ("2004-01-23 21:59:59 x", DateMatch(range: 0..<19, time: 1074891599.0, dropsLine: false)),
        ("12-31 23:00:00 x", DateMatch(range: 0..<14, time: 1104530400.0, dropsLine: false)),
    ]),
]
