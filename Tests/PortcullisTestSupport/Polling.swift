import Foundation

/// Waiting for something another process or task does (a ban reaching the kernel, a daemon
/// answering): polled every 20 ms until it holds, or an error naming what was awaited.
public struct TimedOut: Error, CustomStringConvertible {
    public let description: String
}

/// Blocks until `condition` holds or `timeout` seconds pass.
public func waitUntil(_ what: String, timeout: Double, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return }
        usleep(20_000)
    }
    throw TimedOut(description: "timed out after \(timeout) s waiting until \(what)")
}

/// Suspends until `condition` holds or `timeout` seconds pass, without blocking a thread of the
/// cooperative pool (tests that run the daemon in process need those threads free).
public func eventually(_ what: String, timeout: Double, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TimedOut(description: "timed out after \(timeout) s waiting until \(what)")
}
