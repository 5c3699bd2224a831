import Foundation
import PortcullisConfig
import PortcullisFilter

/// A jail's date detection, shareable with the log reader so it can find where `now - findtime`
/// starts in a large file (fail2ban's seek-to-time) without reading it all through the filter.
final class DateDetectorBox: @unchecked Sendable {
    private let lock = NSLock()
    private let detector: DateDetector

    init(definition: FilterDefinition, timeZone: String?) throws {
        detector = try DateDetector(definition: definition, timeZone: timeZone)
    }

    /// The time written on `line`, nil when it has none.
    func time(of line: UnsafeBufferPointer<UInt8>) -> Double? {
        lock.withLock { detector.match(line, now: Clock.now())?.time }
    }
}
