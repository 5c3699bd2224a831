import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The signals a daemon answers, turned into an async sequence: SIGTERM/SIGINT stop it,
/// SIGHUP reloads it, SIGUSR1 reopens its log (as logrotate's `postrotate` expects).
enum DaemonSignal: Sendable { case stop, reload, flushLogs }

final class SignalEvents: Sendable {
    let events: AsyncStream<DaemonSignal>
    private let continuation: AsyncStream<DaemonSignal>.Continuation
    nonisolated(unsafe) private let sources: [DispatchSourceSignal]

    init() {
        var continuation: AsyncStream<DaemonSignal>.Continuation!
        events = AsyncStream { continuation = $0 }
        let queue = DispatchQueue(label: "portcullis.signals")
        var sources: [DispatchSourceSignal] = []
        for (number, event) in [(SIGTERM, DaemonSignal.stop), (SIGINT, .stop), (SIGHUP, .reload), (SIGUSR1, .flushLogs)] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            let yield = continuation!
            source.setEventHandler { yield.yield(event) }
            source.resume()
            sources.append(source)
        }
        signal(SIGPIPE, SIG_IGN)
        self.sources = sources
        self.continuation = continuation
    }

    /// The same requests coming from the control socket (`stop`, `reload`, `flushlogs`).
    func send(_ signal: DaemonSignal) { continuation.yield(signal) }

    func cancel() { sources.forEach { $0.cancel() } }
}
