import Foundation

/// A bounded hand-off from a reader thread to one async consumer.
///
/// The reader blocks in `push` while `capacity` events wait unconsumed, so a slow consumer
/// slows reading instead of letting a huge log pile up in memory. The consumer pulls with
/// `next()` (an `AsyncStream(unfolding:)` wraps it); cancelling the consuming task ends that
/// stream only, and a new `stream()` carries on where it stopped. `close()` wakes both sides:
/// the reader stops, the consumer gets what is left and then nil.
final class EventQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    // All below guarded by `condition`.
    private var buffer: [Element] = []
    private var head = 0
    private var waiter: CheckedContinuation<Element?, Never>?
    private var closed = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Hands `element` to the consumer, waiting while the queue is full. False once closed.
    @discardableResult
    func push(_ element: Element) -> Bool {
        condition.lock()
        while buffer.count - head >= capacity && !closed { condition.wait() }
        if closed {
            condition.unlock()
            return false
        }
        if let waiter {
            self.waiter = nil
            condition.unlock()
            waiter.resume(returning: element)
            return true
        }
        buffer.append(element)
        condition.unlock()
        return true
    }

    /// The next element, waiting for one; nil when closed and drained, or when the consuming
    /// task is cancelled.
    func next() async -> Element? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Element?, Never>) in
                condition.lock()
                if head < buffer.count {
                    let element = buffer[head]
                    head += 1
                    if head > 64 && head * 2 > buffer.count {
                        buffer.removeFirst(head)
                        head = 0
                    }
                    condition.signal()
                    condition.unlock()
                    continuation.resume(returning: element)
                } else if closed || Task.isCancelled {
                    condition.unlock()
                    continuation.resume(returning: nil)
                } else {
                    // Checked under the lock: a cancellation after this finds the waiter.
                    waiter = continuation
                    condition.unlock()
                }
            }
        } onCancel: {
            condition.lock()
            let pending = waiter
            waiter = nil
            condition.unlock()
            pending?.resume(returning: nil)
        }
    }

    /// Whether `close()` was called: the reader thread's signal to stop.
    var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed
    }

    /// Ends the queue: `push` returns false from now on; the consumer drains, then gets nil.
    func close() {
        condition.lock()
        closed = true
        let pending = head < buffer.count ? nil : waiter
        if pending != nil { waiter = nil }
        condition.broadcast()
        condition.unlock()
        pending?.resume(returning: nil)
    }

    /// An `AsyncStream` pulling from this queue (single consumer).
    func stream() -> AsyncStream<Element> {
        AsyncStream(unfolding: { [self] in await self.next() })
    }
}
