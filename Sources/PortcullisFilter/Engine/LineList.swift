/// Log lines kept with a failure (its matches), as written: each line's length (four bytes)
/// then its bytes, end to end in one buffer that is reused when the list is emptied. The
/// strings are made only when a ``Failure`` is built.
///
/// Not copyable: a ``FailureRecord`` owns its lists and copies them with ``copy()``.
struct LineList: ~Copyable {
    private var storage: UnsafeMutablePointer<UInt8>?
    private var used = 0
    private var capacity = 0
    private(set) var count = 0

    init() {}

    deinit { storage?.deallocate() }

    var isEmpty: Bool { count == 0 }

    /// An independent copy.
    func copy() -> LineList {
        var c = LineList()
        c.append(contentsOf: self)
        return c
    }

    @inline(__always)
    private mutating func reserve(_ more: Int) {
        if used + more > capacity { grow(used + more) }
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = max(capacity * 2, 256)
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        if let storage {
            grown.update(from: storage, count: used)
            storage.deallocate()
        }
        storage = grown
        capacity = newCapacity
    }

    @inline(__always)
    private mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        if let source = bytes.baseAddress, !bytes.isEmpty {
            (storage.unsafelyUnwrapped + used).update(from: source, count: bytes.count)
            used += bytes.count
        }
    }

    @inline(__always)
    private mutating func putLength(_ length: Int) {
        UnsafeMutableRawPointer(storage.unsafelyUnwrapped + used).storeBytes(of: UInt32(length).littleEndian, as: UInt32.self)
        used += 4
    }

    /// Adds a line.
    mutating func append(_ line: UnsafeBufferPointer<UInt8>) {
        reserve(4 + line.count)
        putLength(line.count)
        put(line)
        count += 1
    }

    /// Adds a line made of two pieces (a date kept from an earlier line, then this one).
    mutating func append(_ head: UnsafeBufferPointer<UInt8>, _ tail: UnsafeBufferPointer<UInt8>) {
        reserve(4 + head.count + tail.count)
        putLength(head.count + tail.count)
        put(head)
        put(tail)
        count += 1
    }

    /// Adds the lines of `other` after these.
    mutating func append(contentsOf other: borrowing LineList) {
        guard other.count > 0, let source = other.storage else { return }
        reserve(other.used)
        put(UnsafeBufferPointer(start: source, count: other.used))
        count += other.count
    }

    /// Puts the lines of `other` before these.
    mutating func prepend(_ other: borrowing LineList) {
        guard other.count > 0 else { return }
        var joined = other.copy()
        joined.append(contentsOf: self)
        self = joined
    }

    /// Empties the list, keeping its storage.
    mutating func removeAll() {
        used = 0
        count = 0
    }

    /// The lines as strings.
    var strings: [String] {
        var result: [String] = []
        result.reserveCapacity(count)
        guard let storage else { return result }
        var at = 0
        while at < used {
            let length = Int(UInt32(littleEndian: UnsafeRawPointer(storage + at).loadUnaligned(as: UInt32.self)))
            at += 4
            result.append(String(decoding: UnsafeBufferPointer(start: storage + at, count: length), as: UTF8.self))
            at += length
        }
        return result
    }
}
