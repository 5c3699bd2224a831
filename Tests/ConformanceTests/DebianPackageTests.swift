import Testing
import PortcullisTestSupport
import Foundation

@Suite struct DebianPackageTests {
    @Test func stockTreeIsAvailable() throws {
        let config = try DebianFail2ban.configDirectory()
        #expect(FileManager.default.fileExists(atPath: config.appendingPathComponent("jail.conf").path))
    }
}
