import Foundation
import PortcullisTestSupport
import Testing

/// Linked as `fail2ban-client`, `fail2ban-regex` or `fail2ban-server`, the binary behaves as that
/// program: the scripts and units written for fail2ban keep working.
struct ProgramNameTests {
    @Test func linksBehaveAsFail2bansPrograms() throws {
        let directory = try TemporaryDirectory(prefix: "portcullis-links")
        defer { directory.remove() }
        let binary = try PortcullisBinary.path()
        for name in ["fail2ban-client", "fail2ban-regex", "fail2ban-server"] {
            try FileManager.default.createSymbolicLink(atPath: directory.path + "/" + name, withDestinationPath: binary)
        }
        let regex = try Command.run([directory.path + "/fail2ban-regex", "login failed from 192.0.2.1", "failed from <HOST>$"])
        #expect(regex.status == 0)
        #expect(regex.stdout.contains("Lines: 1 lines, 0 ignored, 1 matched, 0 missed"))

        let client = try Command.run([directory.path + "/fail2ban-client", "-s", directory.path + "/none.sock", "ping"])
        #expect(client.status == 255)
        #expect((client.stdout + client.stderr).contains("Failed to access socket path"))

        let server = try Command.run([directory.path + "/fail2ban-server", "--help"])
        #expect(server.stdout.contains("-x") && server.stdout.contains("pidfile"))
    }
}
