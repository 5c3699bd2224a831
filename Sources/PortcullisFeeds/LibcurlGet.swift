import CCurlLoader
import Foundation
import PortcullisSystem

/// One HTTP GET through libcurl, which `CCurlLoader` loads the first time a feed is fetched: a
/// daemon without URL feeds never maps libcurl and its chain of TLS and Kerberos libraries (about
/// 1 MiB of an idle resident set that is otherwise 10). The transfer blocks, so it runs on a
/// thread of its own, never on one of the cooperative pool's.
struct LibcurlGet: Sendable {
    /// The last response after redirects.
    struct Response: Sendable {
        var status: Int
        /// Header lines of the response, `Name: value` as sent.
        var headerLines: [String]
        var body: Data

        /// The value of the first header named `name` (case-insensitive), trimmed; nil when it
        /// holds a control character (it is sent back in the next request's headers).
        func header(_ name: String) -> String? {
            for line in headerLines {
                guard let colon = line.firstIndex(of: ":"),
                      line[..<colon].lowercased() == name.lowercased() else { continue }
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                return value.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } ? nil : value
            }
            return nil
        }
    }

    let url: String
    /// Extra request header lines, `Name: value`.
    let headerLines: [String]
    /// For the whole transfer, connection included.
    let timeout: Double

    /// The response, or why there is none.
    func run() async -> Result<Response, FeedError> {
        await OwnThread.run(named: "portcullis-feed") { perform() }
    }

    private func perform() -> Result<Response, FeedError> {
        var response = portcullis_http_response()
        let timeoutMilliseconds = max(1, Int((timeout * 1000).rounded()))
        let loaded = withCStrings(headerLines) { lines in
            portcullis_http_get(url, lines.baseAddress, lines.count, timeoutMilliseconds, &response)
        }
        defer { portcullis_http_response_free(&response) }
        let message = withUnsafeBytes(of: &response.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        guard loaded == 0 else { return .failure(FeedError(source: url, reason: .connection(message))) }
        if response.curl_code != 0 {
            return .failure(FeedError(source: url, reason: reason(curlCode: response.curl_code, osErrno: response.os_errno, message: message)))
        }
        let headerText = response.headers.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: response.headers_length), as: UTF8.self) } ?? ""
        let body = response.body.map { Data(bytes: $0, count: response.body_length) } ?? Data()
        let lines = headerText.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }).map(String.init)
        return .success(Response(status: response.status, headerLines: lines, body: body))
    }

    /// libcurl's failure as the system's sentence ("connection refused"), or its own words.
    func reason(curlCode: Int32, osErrno: Int32, message: String) -> FeedError.Reason {
        switch Int(curlCode) {
        case PORTCULLIS_CURLE_OPERATION_TIMEDOUT: return .timedOut(seconds: timeout)
        case PORTCULLIS_CURLE_COULDNT_RESOLVE_HOST: return .connection("host not found")
        case PORTCULLIS_CURLE_COULDNT_CONNECT where osErrno != 0:
            return .connection(String(cString: strerror(osErrno)).lowercased())
        case 35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91: return .connection("TLS failed: \(message)")
        case 52, 55, 56: return .connection("connection lost: \(message)")
        default: return .connection(message)
        }
    }
}
