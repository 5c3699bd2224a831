import Hummingbird

/// Requires `Authorization: Bearer <token>` on every request when a token is configured.
/// The token is not accepted in the query string: URLs end up in proxy logs, shell history
/// and `ps` output, while `curl -H 'Authorization: Bearer …'` fits a cron line as well.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer "),
              Self.constantTimeEqual(Array(header.utf8.dropFirst(7)).trimmingSpaces, Array(token.utf8)) else {
            var response = APIResponse.error(.unauthorized, "a bearer token is required: send 'Authorization: Bearer <token>'")
            response.headers[.wwwAuthenticate] = "Bearer realm=\"portcullis\""
            return response
        }
        return try await next(request, context)
    }

    /// Compares every byte whatever the first difference, so response time says nothing about
    /// how much of a guess was right.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        if a.count != b.count { difference |= 1 }
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0, y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}

private extension Array where Element == UInt8 {
    var trimmingSpaces: [UInt8] {
        Array(drop(while: { $0 == 0x20 }).reversed().drop(while: { $0 == 0x20 }).reversed())
    }
}
