import Foundation
import Testing
@testable import PortcullisLogs

/// The hand-off between a reader thread and the async consumer: order, back-pressure,
/// cancellation and closing.
@Suite struct EventQueueTests {
    @Test func aFullQueueHoldsTheProducerBackWithoutLosingAnything() async {
        let queue = EventQueue<Int>(capacity: 4)
        let pushed = Counter()
        Thread {
            for i in 0..<100 {
                queue.push(i)
                pushed.increment()
            }
            queue.close()
        }.start()
        // Let the producer run into the limit.
        try? await Task.sleep(nanoseconds: 50_000_000)
        #expect(pushed.value <= 5)
        var received = [Int]()
        for await value in queue.stream() { received.append(value) }
        #expect(received == Array(0..<100))
    }

    @Test func cancellingAConsumerEndsOnlyItsStream() async {
        let queue = EventQueue<Int>(capacity: 4)
        let consumer = Task { () -> [Int] in
            var got = [Int]()
            for await value in queue.stream() { got.append(value) }
            return got
        }
        try? await Task.sleep(nanoseconds: 20_000_000)
        consumer.cancel()
        #expect(await consumer.value == [])
        queue.push(7)
        queue.close()
        var later = [Int]()
        for await value in queue.stream() { later.append(value) }
        #expect(later == [7])
        #expect(queue.push(8) == false)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
