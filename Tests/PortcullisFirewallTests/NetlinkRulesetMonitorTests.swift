import Foundation
import PortcullisFirewall
import PortcullisTestSupport
import Testing

@Suite(.serialized)
struct NetlinkRulesetMonitorTests {
    /// The monitor's reader thread enters the test's namespace (`setns` on that thread only) and
    /// sees a `nft flush ruleset` there.
    @Test func seesARulesetFlushInsideTheNamespace() async throws {
        let pair = try NamespacePair(index: 47)
        defer { pair.remove() }
        let monitor = NetlinkRulesetMonitor(namespacePath: "/var/run/netns/\(pair.host)")
        defer { monitor.stop() }
        let counter = SignalCounter()
        let reader = Task {
            for await _ in monitor.changes() { await counter.increment() }
        }
        defer { reader.cancel() }

        // The socket subscribes on its own thread: change the ruleset until it is heard.
        var table = 0
        try await eventually("the monitor hears a change", timeout: 5) {
            table += 1
            try pair.inHost(["nft", "add", "table", "inet", "probe\(table)"])
            try await Task.sleep(for: .milliseconds(50))
            return await counter.count > 0
        }
        try await Task.sleep(for: .milliseconds(100))
        await counter.reset()
        try pair.inHost(["nft", "flush", "ruleset"])
        try await eventually("the monitor sees the flush", timeout: 2) { await counter.count > 0 }

        monitor.stop()
        await reader.value
    }

    @Test func aMissingNamespaceFinishesTheStream() async {
        let monitor = NetlinkRulesetMonitor(namespacePath: "/var/run/netns/portcullis-no-such-namespace")
        var signals = 0
        for await _ in monitor.changes() { signals += 1 }
        #expect(signals == 0)
    }
}
