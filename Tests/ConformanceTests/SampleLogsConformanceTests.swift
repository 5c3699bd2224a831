import Foundation
import Testing
import PortcullisConfig
import PortcullisFilter
import PortcullisTestSupport

/// fail2ban's own sample logs, checked against Portcullis's engine the way fail2ban's
/// `samplestestcase.py` checks them: every `# failJSON:` annotation, with each filter's stock
/// config, honouring `filterOptions`, `fileOptions`, `addFILE` and `constraint`.
///
/// The pass count may only rise: ``SampleLogsConformanceTests/floor`` records the last count.
@Suite(.serialized) struct SampleLogsConformanceTests {
    /// Cases that passed when this floor was recorded; raise it when the engine gets better.
    static let floor = 1627
    static let now: Double = 1_124_013_600
    static let nowText = "2005-08-14T10:00:00"

    @Test func everyAnnotatedSampleLine() throws {
        setenv("TZ", "CET-01CEST-02,M3.5.0,M10.5.0", 1)
        tzset()
        let tests = try DebianFail2ban.testsDirectory()
        let stockConfig = try DebianFail2ban.configDirectory()
        let logs = tests.appendingPathComponent("files/logs")
        var total = SampleRunResult()
        for (base, names) in [
            (stockConfig, try Self.filterNames(in: stockConfig) { !$0.hasSuffix("common.conf") }),
            (tests.appendingPathComponent("config"), try Self.filterNames(in: tests.appendingPathComponent("config")) { $0.hasPrefix("zzz-") }),
        ] {
            for name in names {
                let runner = SampleFileRunner(filterName: name, configDirectory: base.path, logsDirectory: logs.path)
                total.merge(runner.run())
            }
        }
        let shown = Int(ProcessInfo.processInfo.environment["PORTCULLIS_CONFORMANCE_SHOW"] ?? "") ?? 60
        let report = total.failures.prefix(shown).joined(separator: "\n")
        print("conformance: \(total.passed) passed, \(total.failed) failed (floor \(Self.floor))")
        if !report.isEmpty { print(report) }
        #expect(total.passed >= Self.floor, "conformance fell below the recorded floor")
        #expect(total.passed + total.failed > 1000, "fewer sample cases than expected: the sample reader is broken")
    }

    static func filterNames(in config: URL, where keep: (String) -> Bool) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: config.appendingPathComponent("filter.d").path)
            .filter { $0.hasSuffix(".conf") && keep($0) && !$0.hasPrefix(".") }
            .map { String($0.dropLast(5)) }
            .sorted()
    }
}

/// Pass/fail counts with the first failure messages.
struct SampleRunResult {
    var passed = 0
    var failed = 0
    var failures: [String] = []

    mutating func merge(_ other: SampleRunResult) {
        passed += other.passed
        failed += other.failed
        failures += other.failures
    }

    mutating func fail(_ message: String) {
        failed += 1
        failures.append(message)
    }
}
