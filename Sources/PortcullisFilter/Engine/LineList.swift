/// Log lines kept with a failure (its matches), as written: their bytes end to end and
/// where each ends. Adding a line copies its bytes into storage that is reused when the
/// list is emptied; the strings are made only when a ``Failure`` is built.
///
/// A class owned by one ``FailureRecord`` (which copies it with ``copy()``).
final class LineList {
    @exclusivity(unchecked) private var bytes: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var byteCount = 0
    @exclusivity(unchecked) private var byteCapacity: Int
    @exclusivity(unchecked) private var ends: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var endCapacity: Int

    /// Storage is allocated at the first line.
    init() {
        byteCapacity = 0
        endCapacity = 0
        bytes = Self.noBytes
        ends = Self.noEnds
    }

    deinit {
        if byteCapacity > 0 { bytes.deallocate() }
        if endCapacity > 0 { ends.deallocate() }
    }

    nonisolated(unsafe) private static let noBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    nonisolated(unsafe) private static let noEnds = UnsafeMutablePointer<Int>.allocate(capacity: 1)

    var isEmpty: Bool { count == 0 }

    /// An independent copy.
    func copy() -> LineList {
        let c = LineList()
        c.append(contentsOf: self)
        return c
    }

    @inline(__always)
    private func appendBytes(_ source: UnsafeBufferPointer<UInt8>) {
        guard let base = source.baseAddress, !source.isEmpty else { return }
        if byteCount + source.count > byteCapacity { growBytes(byteCount + source.count) }
        (bytes + byteCount).update(from: base, count: source.count)
        byteCount += source.count
    }

    @inline(__always)
    private func endLine() {
        if count == endCapacity { growEnds() }
        ends[count] = byteCount
        count += 1
    }

    private func growBytes(_ needed: Int) {
        var capacity = max(byteCapacity * 2, 256)
        while capacity < needed { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        if byteCapacity > 0 {
            grown.update(from: bytes, count: byteCount)
            bytes.deallocate()
        }
        bytes = grown
        byteCapacity = capacity
    }

    private func growEnds() {
        let capacity = max(endCapacity * 2, 4)
        let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        if endCapacity > 0 {
            grown.update(from: ends, count: count)
            ends.deallocate()
        }
        ends = grown
        endCapacity = capacity
    }

    /// Adds a line.
    func append(_ line: UnsafeBufferPointer<UInt8>) {
        appendBytes(line)
        endLine()
    }

    /// Adds a line made of two pieces (a date kept from an earlier line, then this one).
    func append(_ head: UnsafeBufferPointer<UInt8>, _ tail: UnsafeBufferPointer<UInt8>) {
        appendBytes(head)
        appendBytes(tail)
        endLine()
    }

    /// Adds the lines of `other` after these.
    func append(contentsOf other: LineList) {
        let base = byteCount
        appendBytes(UnsafeBufferPointer(start: other.bytes, count: other.byteCount))
        for i in 0..<other.count {
            if count == endCapacity { growEnds() }
            ends[count] = other.ends[i] + base
            count += 1
        }
    }

    /// Puts the lines of `other` before these.
    func prepend(_ other: LineList) {
        let mine = copy()
        removeAll()
        append(contentsOf: other)
        append(contentsOf: mine)
    }

    /// Empties the list, keeping its storage.
    func removeAll() {
        byteCount = 0
        count = 0
    }

    /// The lines as strings.
    var strings: [String] {
        var result: [String] = []
        result.reserveCapacity(count)
        var start = 0
        for i in 0..<count {
            result.append(String(decoding: UnsafeBufferPointer(start: bytes + start, count: ends[i] - start), as: UTF8.self))
            start = ends[i]
        }
        return result
    }
}
