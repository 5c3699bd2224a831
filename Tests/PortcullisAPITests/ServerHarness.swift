import Foundation
import PortcullisAPI
import PortcullisConfig
import PortcullisTestSupport

/// curl's output that is not an HTTP answer (it failed, or printed no header block).
struct NotAnHTTPAnswer: Error, CustomStringConvertible {
    let output: CommandOutput
    var description: String { "curl gave no HTTP answer: \(output)" }
}

/// The server task ended before it reported a port.
struct ServerDidNotListen: Error {}

/// An HTTP answer as curl printed it with `-D -`: the status line and headers, then the body.
struct HTTPAnswer {
    let status: Int
    let headers: [String: String]
    let body: String

    init(_ output: CommandOutput) throws {
        guard output.status == 0 else { throw NotAnHTTPAnswer(output: output) }
        let text = output.stdout
        guard let end = text.range(of: "\r\n\r\n") else { throw NotAnHTTPAnswer(output: output) }
        let lines = text[..<end.lowerBound].components(separatedBy: "\r\n")
        status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.headers = headers
        body = String(text[end.upperBound...])
    }
}

/// Runs curl off the cooperative pool (it blocks until curl exits) so the in-process server
/// keeps its threads.
func curl(_ arguments: [String]) async throws -> CommandOutput {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try Command.run(["curl", "-sS", "--max-time", "10"] + arguments) })
        }
    }
}

/// GET `path` (with query) and return status, headers and body.
func get(_ port: Int, _ path: String, headers: [String] = []) async throws -> HTTPAnswer {
    try HTTPAnswer(await curl(["-D", "-"] + headers.flatMap { ["-H", $0] } + ["http://127.0.0.1:\(port)\(path)"]))
}

/// What the server logged, kept for assertions.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [(LogLevel, String, String)] = []
    var sink: LogSink { { level, logger, message in self.lock.withLock { self.lines.append((level, logger, message)) } } }
    var all: [(level: LogLevel, logger: String, message: String)] { lock.withLock { lines } }
}

/// Runs a real `APIServer` on `bind` (127.0.0.1) with a system-chosen port for `body`, then cancels it
/// and waits until it returned. Hands `body` the port.
func withServer(bind: String = "127.0.0.1", token: String? = nil, prefix: String = "", source: FixedSource = FixedSource(), log: LogLines? = nil,
                _ body: (Int) async throws -> Void) async throws {
    let settings = APISettings(enabled: true, bind: bind, port: 0, token: token, prefix: prefix)
    let server = APIServer(settings: settings, source: source, log: log?.sink)
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let task = Task {
        defer { continuation.finish() }
        try await server.run { continuation.yield($0) }
    }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else {
        try await task.value
        throw ServerDidNotListen()
    }
    do {
        try await body(port)
    } catch {
        task.cancel()
        _ = try? await task.value
        throw error
    }
    task.cancel()
    try await task.value
}
