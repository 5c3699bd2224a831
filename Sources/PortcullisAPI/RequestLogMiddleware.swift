import Hummingbird
import PortcullisConfig

/// Logs every request at debug level (`fail2ban.api`): peer, method, path with query, status.
/// Outermost, so refused (401) and unknown (404) requests are logged too.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let log: LogSink

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let line = "\(context.peer ?? "-") \(request.method.rawValue) \(request.uri.description)"
        do {
            let response = try await next(request, context)
            log(.debug, APIServer.logger, "\(line) \(response.status.code)")
            return response
        } catch let error as HTTPResponseError {
            log(.debug, APIServer.logger, "\(line) \(error.status.code)")
            throw error
        } catch {
            log(.debug, APIServer.logger, "\(line) failed: \(error)")
            throw error
        }
    }
}
