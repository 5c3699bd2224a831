import Foundation

/// What tells a source "I already have this version": the HTTP `ETag` and `Last-Modified` of the
/// last list applied (sent back as `If-None-Match`/`If-Modified-Since`), or for a file its size
/// and modification time. Kept with the cached list so a restart does not refetch an unchanged feed.
public struct FeedValidators: Sendable, Equatable, Codable {
    public var etag: String?
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }

    public var isEmpty: Bool { etag == nil && lastModified == nil }
}

/// One fetch's answer.
public enum FeedFetchResult: Sendable, Equatable {
    /// A new body, with the validators to send next time.
    case updated(body: Data, validators: FeedValidators)
    /// The source confirmed the list applied last is still current (HTTP 304, same file).
    case notModified
    /// No list this time; the previous one stays.
    case failed(FeedError)
}
