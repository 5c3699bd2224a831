import Foundation

/// How a feed is doing, for `status` output and the metrics endpoint.
public struct FeedStatistics: Sendable, Equatable {
    /// Addresses and networks currently applied.
    public var size = 0
    /// Invalid lines in the last body parsed.
    public var invalidLines = 0
    /// Listed addresses left out because `ignoreip` covers them (last body parsed).
    public var ignoredLines = 0
    /// Fetches attempted, and of those: failed (error, empty answer, apply error) and "not modified".
    public var fetches = 0
    public var failures = 0
    public var notModified = 0
    /// When a fetch last succeeded (new list or not modified).
    public var lastSuccess: Date?
    /// The last failure's text; nil after a success.
    public var lastError: String?
    /// Seconds the last difference took to compute and hand to `apply`.
    public var lastApplyDuration: Double?

    public init() {}
}

/// What one `refresh()` did.
public enum FeedRefreshOutcome: Sendable, Equatable {
    /// The difference was applied (either count may be 0 when the list was the same).
    case applied(added: Int, removed: Int)
    /// The source said the list did not change; nothing applied.
    case notModified
    /// The fetch failed or answered no addresses; the previous list stays. The reason as logged.
    case keptPrevious(reason: String)
    /// `apply` threw; the previous list stays current and the next refresh retries the difference.
    case applyFailed(reason: String)
    /// No success for longer than `bantime`: the whole list was removed.
    case expired(removed: Int)
}
