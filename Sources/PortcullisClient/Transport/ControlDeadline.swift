/// The moment an exchange on the control socket must be over, as one monotonic instant for the
/// whole exchange (connect, write, read), so a slow peer cannot stretch a timeout per call.
public struct ControlDeadline: Sendable {
    let instant: ContinuousClock.Instant?

    /// `seconds` from now; infinite or NaN means no deadline.
    public init(seconds: Double) {
        if seconds.isFinite {
            let clamped = max(0, min(seconds, 1e9))
            instant = ContinuousClock.now.advanced(by: .nanoseconds(Int64(clamped * 1e9)))
        } else {
            instant = nil
        }
    }

    /// No deadline: wait as long as it takes.
    public static let never = ControlDeadline(seconds: .infinity)

    /// Milliseconds left for `poll` (-1 = forever, 0 = expired).
    var pollTimeout: Int32 {
        guard let instant else { return -1 }
        let left = ContinuousClock.now.duration(to: instant)
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(min(milliseconds, Int64(Int32.max)))
    }

    var hasPassed: Bool { pollTimeout == 0 }
}
