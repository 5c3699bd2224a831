import Foundation

/// Blocking work awaited from async code on a thread of its own — a child process's wait, a
/// netlink transaction that keeps the kernel busy for half a second — so that it never holds one
/// of the cooperative pool's few threads (two on a 2-core machine).
public enum OwnThread {
    /// Runs `body` on a new thread named `name` and returns its result.
    public static func run<Result: Sendable>(named name: String, _ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result, Never>) in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = name
            thread.start()
        }
    }
}
