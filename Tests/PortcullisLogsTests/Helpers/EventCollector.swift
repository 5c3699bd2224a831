import Foundation
@testable import PortcullisLogs

/// Drains a watcher's events in a task and records them, so a test can wait (with a deadline)
/// for a condition on what arrived: lines per path, rotations, missing reports, errors.
final class EventCollector: @unchecked Sendable {
    struct Line: Equatable {
        var path: String
        var text: String
        /// Monotonic arrival time, for latency checks.
        var arrived: Double
    }

    struct State {
        var lines: [Line] = []
        var rotations: [(path: String, how: String)] = []
        var missing: [String] = []
        var errors: [LogSourceError] = []
        var positions: [String: LogPosition] = [:]
        var batches = 0
        var rawLines: [[UInt8]] = []
        var finished = false

        func texts(_ path: String? = nil) -> [String] {
            lines.filter { path == nil || $0.path == path }.map(\.text)
        }
    }

    private let lock = NSLock()
    private var state = State()
    private let changes: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation
    private var task: Task<Void, Never>?
    let keepRawLines: Bool

    init(_ stream: AsyncStream<LogEvent>, keepRawLines: Bool = false) {
        (changes, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.keepRawLines = keepRawLines
        task = Task { [self] in
            for await event in stream { record(event) }
            lock.withLock { state.finished = true }
            signal.yield()
        }
    }

    var snapshot: State { lock.withLock { state } }

    private func record(_ event: LogEvent) {
        let now = IO.monotonicNow()
        lock.withLock {
            switch event {
            case .lines(let batch):
                state.batches += 1
                for i in 0..<batch.count {
                    state.lines.append(Line(path: batch.path, text: batch.string(i), arrived: now))
                    if keepRawLines { state.rawLines.append(batch.withLine(i) { Array($0) }) }
                }
                state.positions[batch.path] = batch.position
            case .rotated(let path, let how): state.rotations.append((path, how))
            case .missing(let path): state.missing.append(path)
            case .error(let error): state.errors.append(error)
            }
        }
        signal.yield()
    }

    /// Waits until `condition` holds on the recorded state, or `seconds` pass; true if it holds.
    @discardableResult
    func wait(_ seconds: Double = 5, until condition: (State) -> Bool) async -> Bool {
        if condition(snapshot) { return true }
        let timer = Task { [signal] in
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            signal.yield()
        }
        defer { timer.cancel() }
        let deadline = IO.monotonicNow() + seconds
        for await _ in changes {
            if condition(snapshot) { return true }
            if IO.monotonicNow() >= deadline { return false }
        }
        return condition(snapshot)
    }

    /// Waits for `count` lines in all (or of `path`).
    @discardableResult
    func wait(lines count: Int, of path: String? = nil, _ seconds: Double = 5) async -> Bool {
        await wait(seconds) { $0.lines.filter { path == nil || $0.path == path }.count >= count }
    }

    /// Waits a little and reports whether nothing more than `count` lines arrived (to check
    /// that nothing is delivered twice after the expected lines).
    func settles(at count: Int, after seconds: Double = 0.3) async -> Bool {
        _ = await wait(seconds) { $0.lines.count > count }
        return snapshot.lines.count == count
    }

    func cancel() { task?.cancel() }
}
