import Hummingbird

/// Plain-text and typed bodies with their Content-Type: every answer of the API goes through here.
enum APIResponse {
    static func text(_ body: String, contentType: String = "text/plain; charset=utf-8", status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// An error the client can act on, as one line of text.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        text(message + "\n", status: status)
    }
}
