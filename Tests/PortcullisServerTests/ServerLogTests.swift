import Foundation
import PortcullisConfig
import PortcullisTestSupport
import Testing
@testable import PortcullisServer

/// The daemon's log gathers a jail's batch of lines into one write: nothing is lost or
/// reordered, a line outside a batch is on disk at once, and one inside a batch at its end.
@Suite struct ServerLogTests {
    @Test func linesOfABatchAreWrittenTogetherInOrder() throws {
        let directory = try TemporaryDirectory(prefix: "portcullis-log")
        defer { directory.remove() }
        let path = directory.path + "/daemon.log"
        let log = try ServerLog(target: path, level: .info)
        func written() -> [String] {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        log.log(.notice, "fail2ban.actions", "[sshd] Ban 192.0.2.1")
        #expect(written().count == 1)
        #expect(written()[0].hasSuffix(" fail2ban.actions        [\(getpid())]: NOTICE  [sshd] Ban 192.0.2.1"))

        log.holdWrites()
        for n in 1...500 { log.log(.info, "fail2ban.filter", "[sshd] Found 192.0.2.\(n % 250) - line \(n)") }
        log.log(.debug, "fail2ban.filter", "below the level: \(Issue.record("a filtered message must not be built"))")
        log.holdWrites()   // a second jail's batch at the same time
        log.releaseWrites()
        let heldCount = written().count
        log.releaseWrites()
        #expect(written().count == 501)
        #expect(heldCount == 1 || heldCount == 501)   // unless 100 ms passed while holding
        let found = written().dropFirst().map { $0.components(separatedBy: " - line ").last ?? "" }
        #expect(found == (1...500).map(String.init))
    }
}
