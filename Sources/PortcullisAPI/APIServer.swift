import Hummingbird
import PortcullisConfig

/// Why the API server stopped other than by cancellation, with the address it was to serve.
public struct APIServerError: Error, CustomStringConvertible, Sendable {
    public var address: String
    public var port: Int
    /// Where `[API]` was enabled, so the administrator knows which setting to change.
    public var location: String?
    public var reason: String

    public var description: String {
        (location.map { "\($0): " } ?? "") + "the API server on \(address) port \(port) failed: \(reason)"
    }
}

/// The ban-list export HTTP server (Hummingbird 2). It installs no signal handlers — the
/// daemon owns SIGTERM/SIGHUP — and stops when the task running `run` is cancelled, which is
/// also how the daemon shuts it down explicitly (on stop, or on reload before starting anew).
public struct APIServer: Sendable {
    /// The logger name of everything the API logs, in fail2ban's vocabulary.
    public static let logger = "fail2ban.api"

    public let settings: APISettings
    let source: any BanExportSource
    let log: LogSink?

    public init(settings: APISettings, source: any BanExportSource, log: LogSink?) {
        self.settings = settings
        self.source = source
        self.log = log
    }

    /// Serves until the calling task is cancelled (then returns normally). `onListening`
    /// receives the bound port once connections are accepted (the chosen one for port 0).
    /// Throws `APIServerError` when it cannot listen or the server fails.
    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let router = Router(context: APIRequestContext.self)
        if let log { router.add(middleware: RequestLogMiddleware(log: log)) }
        if let token = settings.token { router.add(middleware: BearerAuthMiddleware(token: token)) }
        APIRoutes(source: source).register(on: router, prefix: settings.prefix)

        let settings = self.settings, log = self.log
        var app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(settings.bind, port: settings.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? settings.port
                log?(.notice, Self.logger, "API listening on \(Self.url(host: settings.bind, port: port, prefix: settings.prefix))")
                onListening(port)
            })
        // Hummingbird's own log goes to standard output in another format; the daemon's log
        // gets our lines through `log`, so only a critical failure may still print there.
        app.logger.logLevel = .critical
        do {
            try await app.run()
        } catch {
            if Task.isCancelled { return }
            let location = settings.file.map { file in settings.line.map { "\(file):\($0)" } ?? file }
            throw APIServerError(address: settings.bind, port: settings.port, location: location, reason: "\(error)")
        }
    }

    /// `http://host:port/prefix`, with IPv6 hosts in brackets.
    static func url(host: String, port: Int, prefix: String) -> String {
        "http://\(host.contains(":") ? "[\(host)]" : host):\(port)\(prefix)"
    }
}
