import Foundation

/// A real HTTP server on loopback for feed tests: Python's `http.server` serving the files a test
/// writes, with an `ETag` (MD5 of the body) and `304 Not Modified` for a matching `If-None-Match`
/// — what Krawl's API and ordinary web servers do. `mode` makes it misbehave on purpose.
///
/// It binds port 0 (the kernel picks a free one) and prints the port, which `start()` reads back.
/// Every request is logged (path and `If-None-Match`) so a test can see what the client sent.
/// The server exits by itself when the test process goes away without calling `stop()`.
public final class FeedHTTPServer: @unchecked Sendable {
    /// How the server answers the next requests.
    public enum Mode: String, Sendable {
        /// The file under the request's path (404 when missing), 304 when the ETag matches.
        case serve
        /// `500 Internal Server Error`.
        case error500
        /// `200 OK` with an empty body.
        case empty
        /// Accepts the request and answers nothing for a minute (a client timeout test).
        case hang
    }

    /// One request as the server saw it.
    public struct Request: Sendable, Equatable {
        public let path: String
        public let ifNoneMatch: String?
    }

    public let directory: TemporaryDirectory
    private let lock = NSLock()
    private var process: Process?
    private var boundPort = 0
    /// The network namespace it listens in (its own 127.0.0.1), nil for the test's own.
    public let namespace: String?

    public init(namespace: String? = nil) throws {
        self.namespace = namespace
        directory = try TemporaryDirectory(prefix: "portcullis-feed-http")
        try setMode(.serve)
    }

    deinit { stop() }

    /// The port it listens on (0 before `start()`).
    public var port: Int { lock.withLock { boundPort } }

    /// Starts the server and waits until it listens.
    public func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = (namespace.map { ["ip", "netns", "exec", $0] } ?? []) + ["python3", "-c", Self.script, directory.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw StartFailed(description: "the python3 HTTP server did not print its port (got '\(String(decoding: line, as: UTF8.self))')")
        }
        lock.withLock {
            self.process = process
            boundPort = port
        }
    }

    public struct StartFailed: Error, CustomStringConvertible {
        public let description: String
    }

    /// `http://127.0.0.1:PORT/path` (path with or without its leading slash, query allowed).
    public func url(path: String) -> String {
        "http://127.0.0.1:\(port)/" + (path.hasPrefix("/") ? String(path.dropFirst()) : path)
    }

    /// Writes (or rewrites) the body served at `path`.
    public func serve(_ path: String, _ contents: String) throws {
        try directory.write("files/" + path, contents)
    }

    public func setMode(_ mode: Mode) throws {
        try directory.write("mode", mode.rawValue)
    }

    /// Every request received so far, oldest first.
    public func requests() -> [Request] {
        let text = (try? String(contentsOf: directory.url.appendingPathComponent("requests.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Request(path: fields[0], ifNoneMatch: fields.count > 1 && fields[1] != "-" ? fields[1] : nil)
        }
    }

    /// Stops the server and removes its folder.
    public func stop() {
        let running = lock.withLock { () -> Process? in
            defer { process = nil }
            return process
        }
        if let running, running.isRunning {
            // SIGKILL: the child inherits the calling thread's signal mask, in which the Swift
            // runtime blocks SIGTERM. Not `waitUntilExit()`: it spins a run loop on a thread of
            // the cooperative pool, where async tests call this from.
            kill(running.processIdentifier, SIGKILL)
            let deadline = Date().addingTimeInterval(5)
            while running.isRunning, Date() < deadline { usleep(10_000) }
        }
        directory.remove()
    }

    private static let script = #"""
import hashlib, http.server, os, sys, threading, time
root = sys.argv[1]

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)
    def do_GET(self):
        try:
            mode = open(os.path.join(root, "mode")).read().strip()
        except OSError:
            mode = "serve"
        with open(os.path.join(root, "requests.log"), "a") as log:
            log.write("%s\t%s\n" % (self.path, self.headers.get("If-None-Match") or "-"))
        if mode == "hang":
            time.sleep(60)
            return
        if mode == "error500":
            return self.answer(500, b"internal error\n")
        if mode == "empty":
            return self.answer(200)
        name = self.path.split("?", 1)[0].lstrip("/")
        try:
            body = open(os.path.join(root, "files", name), "rb").read()
        except OSError:
            return self.answer(404, b"not found\n")
        etag = '"%s"' % hashlib.md5(body).hexdigest()
        if self.headers.get("If-None-Match") == etag:
            return self.answer(304, headers=[("ETag", etag)])
        self.answer(200, body, [("ETag", etag)])

def orphan_watch(parent=os.getppid()):
    # The test process died without stop(): do not outlive it.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)

threading.Thread(target=orphan_watch, daemon=True).start()
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""#
}
