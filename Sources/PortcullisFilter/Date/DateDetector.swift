// TEMPORARY stub with the agreed API; replaced by the date-detection branch.
#if canImport(Glibc)
import Glibc
#endif

public struct DateMatch: Sendable, Equatable {
    public var range: Range<Int>
    public var time: Double?
    public init(range: Range<Int>, time: Double?) { self.range = range; self.time = time }
}

public final class DateDetector {
    let regex: CompiledRegex
    public init(defaultTimeZone: String? = nil) {
        regex = try! CompiledRegex(pcre2: #"^((?:[A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}))"#)
    }
    public init(datePattern: String, defaultTimeZone: String? = nil) throws {
        regex = try! CompiledRegex(pcre2: #"^((?:[A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}))"#)
    }
    public var isNone: Bool { false }
    public var templateHits: [(name: String, hits: Int)] { [] }
    public func match(_ line: UnsafeBufferPointer<UInt8>, now: Double) -> DateMatch? {
        guard regex.search(line) == .matched, let r = regex.range(ofGroup: 1) else { return nil }
        return DateMatch(range: r, time: now)
    }
}
