import Testing
import Foundation
@testable import PortcullisAPI
import PortcullisTestSupport

/// The firewall formats are accepted by the real tools, twice in a row (a cron job re-applies
/// them), inside a private network namespace `unshare -n` creates and the kernel removes when
/// the command exits — the host's firewall is never touched.
@Suite(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")))
struct FirewallScriptTests {
    /// Runs `script` (a shell command line using `$F`, the rendered file) in a fresh namespace.
    func applyTwice(_ text: String, _ script: String) throws -> CommandOutput {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let file = try tmp.write("banlist", text)
        return try Command.run(["unshare", "-n", "sh", "-c", script], environment: ["F": file.path])
    }

    /// A network overlapping a banned address in the same set is merged, not an error.
    let bans = Fixture.bans + [ExportedBan(jail: "sshd", ip: "198.51.100.7", timeOfBan: 1_700_000_000, banTime: 600, banCount: 1)]

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/nft")))
    func nftablesScriptLoadsAndReloads() throws {
        let output = try applyTwice(BanListFormat.nftables.render(bans),
                                    #"nft -f "$F" && nft -f "$F" && nft list set inet portcullis_banlist banned4 && nft list set inet portcullis_banlist banned6"#)
        #expect(output.status == 0, "\(output)")
        #expect(output.stdout.contains("198.51.100.0/24") && output.stdout.contains("9.8.7.6") && output.stdout.contains("2001:db8::1"))
        let empty = try applyTwice(BanListFormat.nftables.render([]), #"nft -f "$F" && nft -f "$F""#)
        #expect(empty.status == 0, "\(empty)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/iptables-restore")))
    func iptablesRestoreFragmentLoadsAndReloads() throws {
        let v4 = try applyTwice(BanListFormat.iptablesRestore.render(bans),
                                #"iptables-restore --noflush < "$F" && iptables-restore --noflush < "$F" && iptables -S portcullis-banlist"#)
        #expect(v4.status == 0, "\(v4)")
        #expect(v4.stdout.components(separatedBy: "-j DROP").count - 1 == 4, "applied twice, listed once: \(v4.stdout)")
        let v6 = try applyTwice(BanListFormat.iptablesRestore.render(bans, version: .v6),
                                #"ip6tables-restore --noflush < "$F" && ip6tables -S portcullis-banlist"#)
        #expect(v6.status == 0 && v6.stdout.contains("-s 2001:db8::1/128 -j DROP"), "\(v6)")
    }
}
