import Foundation
import PortcullisConfig
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Gets a feed's current body from its URL or file, asking only for a changed version: the
/// fetch that runs every few minutes is usually a `304 Not Modified` of a few bytes.
///
/// HTTP goes through an ephemeral `URLSession` (no cookies, no URL cache: the list applied is
/// always what the server sent) with the feed's `timeout` for the whole request.
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
        guard let url = URL(string: text) else { return .failed(FeedError(source: text, reason: .connection("not a valid URL"))) }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData, timeoutInterval: timeout)
        request.setValue("Portcullis feed", forHTTPHeaderField: "User-Agent")
        if let etag = previous?.etag { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
        if let date = previous?.lastModified { request.setValue(date, forHTTPHeaderField: "If-Modified-Since") }
        do {
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else {
                return .failed(FeedError(source: text, reason: .connection("not an HTTP response")))
            }
            switch http.statusCode {
            case 304:
                return .notModified
            case 200:
                let validators = FeedValidators(etag: http.value(forHTTPHeaderField: "ETag"),
                                                lastModified: http.value(forHTTPHeaderField: "Last-Modified"))
                return .updated(body: data, validators: validators)
            default:
                return .failed(FeedError(source: text, reason: .httpStatus(http.statusCode)))
            }
        } catch let error as URLError where error.code == .timedOut {
            return .failed(FeedError(source: text, reason: .timedOut(seconds: timeout)))
        } catch {
            return .failed(FeedError(source: text, reason: .connection(Self.describe(error))))
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

    /// The system's sentence for an error, not Foundation's `Error Domain=… Code=…` dump.
    static func describe(_ error: Error) -> String {
        if let urlError = error as? URLError {
            switch urlError.code {
            case .cannotConnectToHost: return "connection refused"
            case .cannotFindHost, .dnsLookupFailed: return "host not found"
            case .networkConnectionLost: return "connection lost"
            case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
                 .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot: return "TLS failed: \(urlError.localizedDescription)"
            default: return urlError.localizedDescription
            }
        }
        if let cocoa = error as? CocoaError, let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? POSIXError {
            return String(cString: strerror(underlying.code.rawValue))
        }
        return (error as NSError).localizedDescription
    }
}
