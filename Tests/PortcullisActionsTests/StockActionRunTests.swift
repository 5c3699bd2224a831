import Testing
import Foundation
@testable import PortcullisActions
import PortcullisConfig
import PortcullisTestSupport

/// Stock and test action files run through `CommandAction` with hostile log values.
@Suite struct StockActionRunTests {
    static func hostile(_ pwn: String) -> (user: String, lines: [String]) {
        (user: "x'; touch \(pwn); echo '$(touch \(pwn))`touch \(pwn)`\"\n\\",
         lines: ["Failed password for invalid user $(touch \(pwn)) from 192.0.2.5 port 22",
                 "Failed password for `touch \(pwn)`; \"quoted\" 'single' \\n %s %b from 192.0.2.5",
                 "EOF", "* ~ ${IFS} #"])
    }

    @Test func actionWritingFieldsAndMatchesKeepsThemAsText() async throws {
        let fixture = try ActionFixture("""
            [Definition]
            actionban = printf '%%s' '<F-USER>' > $D/user-single
                        printf '%%s' "<F-USER>" > $D/user-double
                        printf '%%s' <F-USER> > $D/user-bare
                        printf '%%s' "<matches>" > $D/matches
                        printf '%%s\\n' <ipjailmatches> > $D/ipjailmatches
                        cat > $D/heredoc <<EOF
                        <ipmatches>
                        EOF
            """)
        defer { fixture.remove() }
        let pwn = fixture.dir + "/pwned"
        let (user, lines) = Self.hostile(pwn)
        let info = BanInfo(ip: "192.0.2.5", failures: 4, time: 1_700_000_000, matches: lines, fields: ["user": user])
        try await fixture.action().ban(info)
        #expect(!FileManager.default.fileExists(atPath: pwn))
        func read(_ name: String) throws -> String { try String(contentsOfFile: fixture.dir + "/" + name, encoding: .utf8) }
        #expect(try read("user-single") == user)
        #expect(try read("user-double") == user)
        #expect(try read("user-bare") == user)
        #expect(try read("matches") == lines.joined(separator: "\n"))
        #expect(try read("ipjailmatches") == lines.joined(separator: "\n") + "\n")
        #expect(try read("heredoc") == lines.joined(separator: "\n") + "\n")
    }

    @Test func stockSendmailIpjailmatchesMailsTheExactLines() async throws {
        let config = try StockConfig(jailLocal: "")
        defer { config.remove() }
        let mailFile = config.directory.path + "/mail"
        try config.directory.write("fail2ban/jail.local", """
            [sshd]
            enabled = true
            action = sendmail-whois-ipjailmatches[mailcmd="cat > '\(mailFile)'"]
            """)
        let bin = config.directory.path + "/bin"
        try config.directory.write("bin/whois", "#!/bin/sh\necho \"whois for $1\"\n")
        chmod(bin + "/whois", 0o755)
        let definition = try config.action("sendmail-whois-ipjailmatches", of: "sshd")
        let runner = CommandRunner(shell: "/bin/sh", environment: ["PATH": bin + ":/usr/bin:/bin"])
        let log = LogRecorder()
        let action = CommandAction(definition: definition, runner: runner, log: log.sink, ipv6Allowed: false)
        let pwn = config.directory.path + "/pwned"
        let (_, lines) = Self.hostile(pwn)
        let info = BanInfo(ip: "192.0.2.5", failures: 4, time: 1_700_000_000, ipJailMatches: lines, ipJailFailures: 9)
        try await action.ban(info)
        #expect(!FileManager.default.fileExists(atPath: pwn))
        let mail = try String(contentsOfFile: mailFile, encoding: .utf8)
        #expect(mail.hasPrefix("Subject: [Fail2Ban] sshd: banned 192.0.2.5 from \(HostNames.fullyQualified)\n"))
        #expect(mail.contains("whois for 192.0.2.5"))
        #expect(mail.contains("Matches for sshd with 9 failures IP:192.0.2.5\n"))
        // printf %b interprets backslash escapes in its argument, as with fail2ban: "\n" becomes a newline.
        let expectedLines = lines.joined(separator: "\n").replacingOccurrences(of: "\\n", with: "\n")
        #expect(mail.contains(expectedLines), "\(mail)")
        // A restored ban does not mail (norestored).
        try FileManager.default.removeItem(atPath: mailFile)
        var restored = info
        restored.restored = true
        try await action.ban(restored)
        #expect(!FileManager.default.fileExists(atPath: mailFile))
    }
}
