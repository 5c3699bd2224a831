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

    private typealias Waiter = (condition: @Sendable (State) -> Bool, continuation: CheckedContinuation<Bool, Never>)

    private let lock = NSLock()
    private var state = State()                  // guarded by `lock`
    private var waiters: [Int: Waiter] = [:]     // guarded by `lock`
    private var nextWaiter = 0                   // guarded by `lock`
    private var task: Task<Void, Never>?
    let keepRawLines: Bool

    init(_ stream: AsyncStream<LogEvent>, keepRawLines: Bool = false) {
        self.keepRawLines = keepRawLines
        task = Task { [self] in
            for await event in stream { record(event) }
            update { $0.finished = true }
        }
    }

    var snapshot: State { lock.withLock { state } }

    private func record(_ event: LogEvent) {
        let now = IO.monotonicNow()
        update { state in
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
    }

    /// Changes the state and wakes the waiters whose condition now holds.
    private func update(_ change: (inout State) -> Void) {
        let ready: [Waiter] = lock.withLock {
            change(&state)
            let done = waiters.filter { $0.value.condition(state) }
            for key in done.keys { waiters[key] = nil }
            return Array(done.values)
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
    }

    /// Waits until `condition` holds on the recorded state, or `seconds` pass; true if it holds.
    @discardableResult
    func wait(_ seconds: Double = 5, until condition: @escaping @Sendable (State) -> Bool) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let id: Int? = lock.withLock {
                if condition(state) { return nil }
                nextWaiter += 1
                waiters[nextWaiter] = (condition, continuation)
                return nextWaiter
            }
            guard let id else {
                continuation.resume(returning: true)
                return
            }
            Task { [self] in
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                // Whoever removes the waiter resumes it: the deadline, or `update`.
                if let waiter = lock.withLock({ waiters.removeValue(forKey: id) }) {
                    waiter.continuation.resume(returning: waiter.condition(snapshot))
                }
            }
        }
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
