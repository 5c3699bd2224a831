/// The connections of ``MultiLineFailureCache``, keyed by the bytes of their id: looking a
/// line's `<F-MLFID>` up costs a hash of its bytes and one comparison, and makes no string.
///
/// Open addressing over a small power-of-two table (the cache holds at most 100 entries);
/// values live in a slab whose indices stay valid until removed and are reached in place
/// (no copies), each with the insertion sequence number the cache's FIFO eviction checks.
/// One owner, one task at a time.
final class ConnectionTable<Value> {
    @exclusivity(unchecked) private var values: UnsafeMutablePointer<Value>
    @exclusivity(unchecked) private var capacity: Int
    /// Per slab index: key, hash, insertion sequence, and whether it is in use.
    @exclusivity(unchecked) private var keys: [[UInt8]] = []
    @exclusivity(unchecked) private var hashes: [UInt64] = []
    @exclusivity(unchecked) private var sequences: [Int] = []
    @exclusivity(unchecked) private var occupied: [Bool] = []
    @exclusivity(unchecked) private var freeList: [Int] = []
    /// Slab index per bucket; `empty` or `deleted` otherwise.
    @exclusivity(unchecked) private var buckets: [Int32]
    @exclusivity(unchecked) private var tombstones = 0
    @exclusivity(unchecked) private(set) var count = 0

    private static var empty: Int32 { -1 }
    private static var deleted: Int32 { -2 }

    init(bucketCount: Int = 256) {
        precondition(bucketCount > 0 && bucketCount & (bucketCount - 1) == 0, "power of two")
        buckets = Array(repeating: Self.empty, count: bucketCount)
        capacity = 16
        values = .allocate(capacity: capacity)
    }

    deinit {
        for i in occupied.indices where occupied[i] { (values + i).deinitialize(count: 1) }
        values.deallocate()
    }

    /// A 64-bit hash of `bytes` (eight bytes at a time).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: bytes.count)
        guard let base = bytes.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 32)
    }

    /// The slab index of `key`, or nil.
    func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        let mask = buckets.count - 1
        var b = Int(truncatingIfNeeded: hash) & mask
        while true {
            let s = buckets[b]
            if s == Self.empty { return nil }
            if s >= 0 && hashes[Int(s)] == hash && keys[Int(s)].withUnsafeBufferPointer({ Bytes.equal($0, key) }) {
                return Int(s)
            }
            b = (b + 1) & mask
        }
    }

    /// The value at slab index `i` (which must be in use), in place.
    subscript(i: Int) -> Value {
        unsafeAddress { UnsafePointer(values + i) }
        unsafeMutableAddress { values + i }
    }

    /// The insertion sequence of slab index `i`, nil when it is not in use.
    func sequence(at i: Int) -> Int? { i < occupied.count && occupied[i] ? sequences[i] : nil }

    /// Adds a value for a key not in the table; returns its slab index.
    @discardableResult
    func insert(key: UnsafeBufferPointer<UInt8>, hash: UInt64, sequence: Int, value: Value) -> Int {
        if (count + tombstones + 1) * 4 > buckets.count * 3 { rebuild() }
        let i: Int
        if let free = freeList.popLast() {
            i = free
            // The freed slot's key storage, emptied by `remove(at:)`, is reused.
            keys[i].append(contentsOf: key)
            hashes[i] = hash
            sequences[i] = sequence
            occupied[i] = true
        } else {
            i = keys.count
            if i == capacity { grow() }
            keys.append(Array(key))
            hashes.append(hash)
            sequences.append(sequence)
            occupied.append(true)
        }
        (values + i).initialize(to: value)
        let mask = buckets.count - 1
        var b = Int(truncatingIfNeeded: hash) & mask
        while buckets[b] >= 0 { b = (b + 1) & mask }
        if buckets[b] == Self.deleted { tombstones -= 1 }
        buckets[b] = Int32(i)
        count += 1
        return i
    }

    /// Removes the value at slab index `i`; returns it.
    @discardableResult
    func remove(at i: Int) -> Value {
        let mask = buckets.count - 1
        var b = Int(truncatingIfNeeded: hashes[i]) & mask
        while buckets[b] != Int32(i) { b = (b + 1) & mask }
        buckets[b] = Self.deleted
        tombstones += 1
        occupied[i] = false
        keys[i].removeAll(keepingCapacity: true)  // for the next key in this slot
        freeList.append(i)
        count -= 1
        return (values + i).move()
    }

    private func grow() {
        let newValues = UnsafeMutablePointer<Value>.allocate(capacity: capacity * 2)
        for j in 0..<keys.count where occupied[j] { (newValues + j).moveInitialize(from: values + j, count: 1) }
        values.deallocate()
        values = newValues
        capacity *= 2
    }

    /// Re-inserts every entry into a table without tombstones (grown when it is full).
    private func rebuild() {
        var size = buckets.count
        while (count + 1) * 2 > size { size *= 2 }
        buckets = Array(repeating: Self.empty, count: size)
        tombstones = 0
        let mask = size - 1
        for i in occupied.indices where occupied[i] {
            var b = Int(truncatingIfNeeded: hashes[i]) & mask
            while buckets[b] != Self.empty { b = (b + 1) & mask }
            buckets[b] = Int32(i)
        }
    }
}
