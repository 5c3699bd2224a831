import Foundation
import PortcullisFirewall
import PortcullisTestSupport
import Testing

@Suite(.serialized)
struct NetlinkRulesetMonitorTests {
    /// A monitor of `pair`'s host namespace, counting its signals, once it hears changes.
    private final class Listening {
        let monitor: NetlinkRulesetMonitor
        let counter: SignalCounter
        let reader: Task<Void, Never>

        /// Starts the monitor; its socket subscribes on its own thread, so the ruleset is changed
        /// (tables `subscribed1`, `subscribed2`, …) until that is heard. The count is then 0.
        init(_ pair: NamespacePair) async throws {
            let monitor = NetlinkRulesetMonitor(namespacePath: "/var/run/netns/\(pair.host)")
            let counter = SignalCounter()
            self.monitor = monitor
            self.counter = counter
            reader = Task { for await _ in monitor.changes() { await counter.increment() } }
            var table = 0
            try await eventually("the monitor hears a change", timeout: 5) {
                table += 1
                try pair.inHost(["nft", "add", "table", "inet", "subscribed\(table)"])
                try await Task.sleep(for: .milliseconds(50))
                return await counter.count > 0
            }
            try await Task.sleep(for: .milliseconds(100))
            await counter.reset()
        }

        /// Stops the monitor and waits for its stream to end.
        func stop() async {
            monitor.stop()
            await reader.value
        }

        /// A failed test stops the monitor's thread too.
        deinit {
            monitor.stop()
            reader.cancel()
        }
    }

    /// The monitor's reader thread enters the test's namespace (`setns` on that thread only) and
    /// sees a `nft flush ruleset` there.
    @Test func seesARulesetFlushInsideTheNamespace() async throws {
        let pair = try NamespacePair(index: 47)
        defer { pair.remove() }
        let listening = try await Listening(pair)
        try pair.inHost(["nft", "flush", "ruleset"])
        try await eventually("the monitor sees the flush", timeout: 2) { await listening.counter.count > 0 }
        await listening.stop()
    }

    /// A ban is an added set element: it is not signalled (each one started a check that ran
    /// shells), while removing an element, which loses a ban, is.
    @Test func addedElementsAreNotSignalledButRemovedOnesAre() async throws {
        let pair = try NamespacePair(index: 47)
        defer { pair.remove() }
        try pair.inHost(["nft", "add", "table", "inet", "probe"])
        try pair.inHost(["nft", "add", "set", "inet", "probe", "bans", "{ type ipv4_addr; }"])
        let listening = try await Listening(pair)
        let counter = listening.counter
        for octet in 1...5 { try pair.inHost(["nft", "add", "element", "inet", "probe", "bans", "{ 192.0.2.\(octet) }"]) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(await counter.count == 0, "adding elements must not be signalled")

        try pair.inHost(["nft", "delete", "element", "inet", "probe", "bans", "{ 192.0.2.3 }"])
        try await eventually("the monitor sees the removed element", timeout: 2) { await counter.count > 0 }
        await listening.stop()
    }

    /// The decision on raw notification datagrams (headers as the kernel sends them).
    @Test func onlyElementAdditionsAndGenerationsAreHarmless() {
        func message(_ type: UInt16, payload: Int = 4) -> [UInt8] {
            var bytes: [UInt8] = []
            withUnsafeBytes(of: UInt32(16 + payload)) { bytes += $0 }
            withUnsafeBytes(of: type) { bytes += $0 }
            bytes += [UInt8](repeating: 0, count: 10 + payload)
            return bytes + [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4)  // NLMSG_ALIGN
        }
        let newSetElement: UInt16 = 0x0A0C, newGeneration: UInt16 = 0x0A0F, deleteSetElement: UInt16 = 0x0A0E
        let deleteTable: UInt16 = 0x0A02, newRule: UInt16 = 0x0A06
        func canLoseBans(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { NetlinkRulesetMonitor.canLoseBans($0) } }
        #expect(!canLoseBans(message(newSetElement) + message(newSetElement, payload: 7) + message(newGeneration)))
        #expect(canLoseBans(message(newSetElement) + message(deleteSetElement) + message(newGeneration)))
        #expect(canLoseBans(message(deleteTable)))
        #expect(canLoseBans(message(newRule)))
        #expect(canLoseBans(message(newSetElement) + [1, 2, 3]), "a truncated datagram counts as a change")
        #expect(canLoseBans([UInt8](repeating: 0, count: 16)), "a malformed length counts as a change")
    }

    @Test func aMissingNamespaceFinishesTheStream() async {
        let monitor = NetlinkRulesetMonitor(namespacePath: "/var/run/netns/portcullis-no-such-namespace")
        var signals = 0
        for await _ in monitor.changes() { signals += 1 }
        #expect(signals == 0)
    }
}
