import Foundation
@testable import PortcullisFeeds
import Testing

/// The response's validators go back to the server in the next request's headers, so they are
/// read case-insensitively, trimmed, and dropped when they hold a control character.
@Suite struct LibcurlGetTests {
    @Test func headersAreReadCaseInsensitivelyAndControlCharactersRefused() {
        let response = LibcurlGet.Response(status: 200, headerLines: [
            "HTTP/1.1 200 OK", "ETag: \"v1\"", "last-modified:  Sat, 21 Nov 2026 08:00:00 GMT \r",
            "X-Injected: a\u{01}b", "X-Split: a\rInjected: b",
        ], body: Data())
        #expect(response.header("etag") == "\"v1\"")
        #expect(response.header("Last-Modified") == "Sat, 21 Nov 2026 08:00:00 GMT")
        #expect(response.header("X-Injected") == nil)
        #expect(response.header("X-Split") == nil)
        #expect(response.header("X-Missing") == nil)
    }
}
