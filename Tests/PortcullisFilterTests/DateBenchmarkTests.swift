import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import PortcullisFilter

/// ns/line of the hot path. Opt-in (`DATE_BENCH=1 swift test -c release --filter DateBenchmark`):
/// timings in debug builds or on a loaded machine mean nothing.
@Suite struct DateBenchmarkTests {
    init() { DateTestZone.set() }

    static func nanoseconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) * 1e9 + Double(ts.tv_nsec)
    }

    static func run(_ name: String, _ detector: DateDetector, _ lines: [String]) -> Double {
        let buffers: [[UInt8]] = lines.map { Array($0.utf8) }
        let rounds = 2_000_000 / buffers.count
        var sink = 0.0
        var now = 1106513999.0
        // Warm-up.
        for b in buffers { b.withUnsafeBufferPointer { sink += detector.match($0, now: now)?.time ?? 0 } }
        let start = nanoseconds()
        for _ in 0..<rounds {
            for b in buffers {
                b.withUnsafeBufferPointer { sink += detector.match($0, now: now)?.time ?? 0 }
            }
            now += 0.001
        }
        let perLine = (nanoseconds() - start) / Double(rounds * buffers.count)
        print("DATE-BENCH \(name): \(Int(perLine.rounded())) ns/line (sink \(sink > 0))")
        return perLine
    }

    static func p2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func lines(_ format: (Int) -> String) -> [String] {
        (0..<600).map(format)
    }

    @Test(.enabled(if: getenv("DATE_BENCH") != nil))
    func hotPath() {
        let syslog = Self.lines { i -> String in
            let t = "21:" + Self.p2(i / 60) + ":" + Self.p2(i % 60)
            return "Jan 23 " + t + " host sshd[\(1000 + i)]: Failed password for root from 192.0.2.\(i % 250) port 22 ssh2"
        }
        let iso = Self.lines { i -> String in
            let t = "2005-01-23T21:" + Self.p2(i / 60) + ":" + Self.p2(i % 60) + ".\(100000 + i * 7)+01:00"
            return t + " host app: login failed for user x from 192.0.2.\(i % 250)"
        }
        let apache = Self.lines { i -> String in
            let t = "[23/Jan/2005:21:" + Self.p2(i / 60) + ":" + Self.p2(i % 60) + " +0100]"
            return "192.0.2.\(i % 250) - - " + t + " \"GET /wp-login.php HTTP/1.1\" 404 123"
        }
        let epoch = Self.lines { i in "\(1106513999 + i) host x" }
        let syslogNs = Self.run("syslog (defaults)", DateDetector(), syslog)
        let isoNs = Self.run("ISO8601 +zone (defaults)", DateDetector(), iso)
        _ = Self.run("apache access (defaults)", DateDetector(), apache)
        _ = Self.run("epoch (defaults)", DateDetector(), epoch)
        _ = Self.run("syslog ({^LN-BEG})", try! DateDetector(datePattern: "{^LN-BEG}"), syslog)
        _ = Self.run("ISO (custom ^%Y-%m-%dT%H:%M:%S)", try! DateDetector(datePattern: "^%Y-%m-%dT%H:%M:%S"), iso)
        #expect(syslogNs < 1000 && isoNs < 1000)
        // The floor: PCRE2 alone on the winning template.
        for (name, lines) in [("syslog", syslog), ("iso", iso)] {
            let d = DateDetector()
            let buffers: [[UInt8]] = lines.map { Array($0.utf8) }
            buffers[0].withUnsafeBufferPointer { _ = d.match($0, now: 1106513999) }
            let regex = d.entries[0].template.regex
            let start = Self.nanoseconds()
            var hits = 0
            for _ in 0..<1000 {
                for b in buffers { b.withUnsafeBufferPointer { if regex.search($0) == .matched { hits += 1 } } }
            }
            let ns = (Self.nanoseconds() - start) / Double(1000 * buffers.count)
            print("DATE-BENCH regex only \(name): \(Int(ns.rounded())) ns/line jit=\(regex.isJITCompiled) hits=\(hits)")
        }
    }
}
