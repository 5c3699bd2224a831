#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import PortcullisFilter

/// Date tests run under the conformance zone, central European time with its DST rules.
/// Set once per process; every suite that depends on local time calls `DateTestZone.set()`
/// first. Other suites that touch TZ must use the same value (suites run in parallel).
enum DateTestZone {
    static let value = "CET-01CEST-02,M3.5.0,M10.5.0"
    nonisolated(unsafe) private static var done = false
    static func set() {
        if done { return }
        setenv("TZ", value, 1)
        tzset()
        done = true
    }
}

/// One fail2ban run: a detector (default templates when `patterns` is nil), then lines in
/// order with fail2ban's answers.
struct DateCase {
    var patterns: [String]?
    var zone: String?
    var now: Double
    var lines: [(String, DateMatch?)]
}

extension DateDetector {
    /// Convenience for tests: match a Swift string.
    func match(_ line: String, now: Double) -> DateMatch? {
        var copy = line
        return copy.withUTF8 { match($0, now: now) }
    }
}
