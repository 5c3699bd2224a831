import Testing
import Foundation
@testable import PortcullisConfig
import PortcullisTestSupport

/// `[Definition]` of the `fail2ban` unit: a value the daemon cannot read is an error naming its
/// file and line, never a silent default.
@Suite struct FailBanSettingsTests {
    func read(_ local: String) throws -> FailBanSettings {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        try tmp.write("fail2ban.conf", "[Definition]\nloglevel = INFO\n")
        try tmp.write("fail2ban.local", local)
        return try FailBanSettings.read(configDirectory: tmp.path)
    }

    @Test func nftnetlinkTakesTheUsualBooleans() throws {
        #expect(try read("[Definition]\n").nftNetlink)
        for on in ["true", "Yes", "on", "1"] { #expect(try read("[Definition]\nnftnetlink = \(on)\n").nftNetlink, "\(on)") }
        for off in ["false", "No", "off", "0"] { #expect(try !read("[Definition]\nnftnetlink = \(off)\n").nftNetlink, "\(off)") }
    }

    @Test func strictBooleansRefuseWhatAsBoolReadsAsFalse() {
        #expect(JailReader.strictBool(" Yes ") == true)
        #expect(JailReader.strictBool("OFF") == false)
        for word in ["maybe", "", "2", "truee", "nein"] {
            #expect(JailReader.strictBool(word) == nil, "\(word)")
            #expect(!JailReader.asBool(word), "\(word)")
        }
    }

    @Test func anUnreadableNftnetlinkNamesItsLine() throws {
        #expect { try read("[Definition]\nloglevel = INFO\nnftnetlink = maybe\n") } throws: { error in
            let e = error as? ConfigError
            return e?.line == 3 && e?.file?.hasSuffix("/fail2ban.local") == true
                && e?.message.contains("nftnetlink must be true or false") == true && e?.message.contains("'maybe'") == true
        }
    }

    @Test func anUnknownLoglevelNamesItsLine() throws {
        #expect { try read("[Definition]\nloglevel = LOUD\n") } throws: { error in
            let e = error as? ConfigError
            return e?.line == 2 && e?.message.contains("invalid loglevel 'LOUD'") == true
        }
    }
}
