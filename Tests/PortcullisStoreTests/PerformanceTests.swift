import Foundation
import PortcullisStore
import Testing

/// Generous bounds: tests run as debug builds, on shared machines, beside other suites; each size is
/// measured twice on fresh stores and the better run is checked (both are printed).
@Suite(.serialized) struct PerformanceTests {
    static let count = 100_000

    static func bans(now: Double) -> [StoredBan] {
        (0..<count).map { index in
            StoredBan(jail: index % 2 == 0 ? "sshd" : "nginx",
                      ip: "10.\(index >> 16 & 255).\(index >> 8 & 255).\(index & 255)",
                      timeOfBan: now - Double(index % 500), banTime: index % 10 == 0 ? -1 : 3_600,
                      banCount: 1 + index % 3, failures: 5,
                      matches: ["Jan  1 00:00:00 host sshd[1]: Failed password for root from 10.0.0.\(index & 255) port 22 ssh2",
                                "Jan  1 00:00:01 host sshd[1]: Failed password for root from 10.0.0.\(index & 255) port 22 ssh2"])
        }
    }

    struct Timing {
        var add: Duration
        var read: Duration
        var histories: Duration
    }

    @Test func hundredThousandBansInOneCallAndBack() async throws {
        let now = 1_700_000_000.0
        let bans = Self.bans(now: now)
        var timings: [Timing] = []
        for _ in 0..<2 {
            try await withStore { store, _ in
                let clock = ContinuousClock()
                var current: [StoredBan] = []
                var histories: [String: BanHistory] = [:]
                let add = try await clock.measure { try await store.addBans(bans) }
                let read = try await clock.measure { current = try await store.currentBans(jail: nil, now: now) }
                let history = try await clock.measure { histories = try await store.banHistories(jail: nil) }
                #expect(current.count == Self.count)
                #expect(histories.count == Self.count)
                #expect(Set(current.map(\.ip)).count == Self.count)
                timings.append(Timing(add: add, read: read, histories: history))
            }
        }
        for timing in timings {
            print("PortcullisStore: addBans(\(Self.count)) \(timing.add), currentBans(\(Self.count) rows) \(timing.read), banHistories \(timing.histories)")
        }
        #expect(timings.map(\.add).min()! < .seconds(3))
        #expect(timings.map(\.read).min()! < .seconds(3))
    }

    @Test func singleBanLatency() async throws {
        try await withStore { store, _ in
            var times: [Duration] = []
            let clock = ContinuousClock()
            for index in 0..<300 {
                let ban = StoredBan(jail: "sshd", ip: "192.0.\(index / 256).\(index % 256)",
                                    timeOfBan: 1_000 + Double(index), banTime: 600, failures: 3,
                                    matches: ["a failure line"])
                times.append(try await clock.measure { try await store.addBan(ban) })
            }
            times.sort()
            let median = times[times.count / 2]
            let p95 = times[times.count * 95 / 100]
            print("PortcullisStore: addBan latency median \(median), p95 \(p95), max \(times.last!)")
            #expect(median < .milliseconds(5))
        }
    }
}
