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
