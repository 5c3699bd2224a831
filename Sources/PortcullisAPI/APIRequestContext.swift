import Hummingbird

/// Hummingbird's request context plus the peer's address, which the request log names.
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client's IP address, when the connection has one.
    let peer: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        peer = source.channel.remoteAddress?.ipAddress
    }
}

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
