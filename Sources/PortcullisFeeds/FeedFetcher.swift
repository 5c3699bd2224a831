import Foundation
import PortcullisConfig

/// Gets a feed's current body from its URL or file, asking only for a changed version: the
/// fetch that runs every few minutes is usually a `304 Not Modified` of a few bytes.
///
/// HTTP goes through libcurl (`LibcurlGet`: no cookies, no cache, the list applied is always
/// what the server sent) with the feed's `timeout` for the whole request.
public struct FeedFetcher: Sendable {
    public let source: FeedSource
    public let timeout: Double

    public init(source: FeedSource, timeout: Double) {
        self.source = source
        self.timeout = timeout
    }

    /// Fetches once; `previous`: the validators of the list currently applied (nil: none).
    public func fetch(previous: FeedValidators?) async -> FeedFetchResult {
        switch source {
        case .url(let url): return await fetchURL(url, previous: previous)
        case .path(let path): return readFile(path, previous: previous)
        }
    }

    private func fetchURL(_ text: String, previous: FeedValidators?) async -> FeedFetchResult {
        var headerLines = ["User-Agent: Portcullis feed", "Cache-Control: no-cache"]
        if let etag = previous?.etag { headerLines.append("If-None-Match: \(etag)") }
        if let date = previous?.lastModified { headerLines.append("If-Modified-Since: \(date)") }
        switch await LibcurlGet(url: text, headerLines: headerLines, timeout: timeout).run() {
        case .failure(let error):
            return .failed(error)
        case .success(let response):
            switch response.status {
            case 304:
                return .notModified
            case 200:
                let validators = FeedValidators(etag: response.header("ETag"), lastModified: response.header("Last-Modified"))
                return .updated(body: response.body, validators: validators)
            default:
                return .failed(FeedError(source: text, reason: .httpStatus(response.status)))
            }
        }
    }

    /// A file's size and modification time (nanoseconds) play the part of an ETag.
    private func readFile(_ path: String, previous: FeedValidators?) -> FeedFetchResult {
        var status = stat()
        guard stat(path, &status) == 0 else {
            return .failed(FeedError(source: path, reason: .unreadable(String(cString: strerror(errno)))))
        }
        let stamp = "\(status.st_size)-\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
        if let previous, previous.etag == stamp { return .notModified }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return .updated(body: data, validators: FeedValidators(etag: stamp))
        } catch {
            return .failed(FeedError(source: path, reason: .unreadable(Self.describe(error))))
        }
    }

    /// The system's sentence for a file error, not Foundation's `Error Domain=… Code=…` dump.
    static func describe(_ error: Error) -> String {
        if let cocoa = error as? CocoaError, let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? POSIXError {
            return String(cString: strerror(underlying.code.rawValue))
        }
        return (error as NSError).localizedDescription
    }
}
