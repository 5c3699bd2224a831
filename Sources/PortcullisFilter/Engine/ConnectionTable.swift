/// The connections of ``MultiLineFailureCache``, keyed by the bytes of their id: looking a
/// line's `<F-MLFID>` up costs a hash of its bytes and one comparison, and makes no string.
///
/// Open addressing over a small power-of-two table (the cache holds at most 100 entries);
/// entries live in a slab whose indices stay valid until removed, and carry the insertion
/// sequence number the cache's FIFO eviction checks.
struct ConnectionTable<Value> {
    struct Entry {
        var key: [UInt8]
        var hash: UInt64
        var sequence: Int
        var value: Value
    }

    private var slab: [Entry?] = []
    private var freeList: [Int] = []
    /// Slab index per bucket; `empty` or `deleted` otherwise.
    private var buckets: [Int32]
    private var tombstones = 0
    private(set) var count = 0

    private static var empty: Int32 { -1 }
    private static var deleted: Int32 { -2 }

    init(bucketCount: Int = 256) {
        precondition(bucketCount > 0 && bucketCount & (bucketCount - 1) == 0, "power of two")
        buckets = Array(repeating: Self.empty, count: bucketCount)
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
            if s >= 0, let entry = slab[Int(s)], entry.hash == hash, Self.equal(entry.key, key) { return Int(s) }
            b = (b + 1) & mask
        }
    }

    @inline(__always)
    private static func equal(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBufferPointer { a in
            for i in 0..<a.count where a[i] != b[i] { return false }
            return true
        }
    }

    /// The entry at slab index `i` (which must be occupied).
    subscript(i: Int) -> Entry {
        get { slab[i]! }
        _modify { yield &slab[i]! }
    }

    /// The entry at slab index `i`, or nil when it was removed.
    func entry(at i: Int) -> Entry? { i < slab.count ? slab[i] : nil }

    /// Adds an entry for a key not in the table; returns its slab index.
    @discardableResult
    mutating func insert(key: UnsafeBufferPointer<UInt8>, hash: UInt64, sequence: Int, value: Value) -> Int {
        if (count + tombstones + 1) * 4 > buckets.count * 3 { rebuild() }
        let entry = Entry(key: Array(key), hash: hash, sequence: sequence, value: value)
        let i: Int
        if let free = freeList.popLast() {
            slab[free] = entry
            i = free
        } else {
            slab.append(entry)
            i = slab.count - 1
        }
        let mask = buckets.count - 1
        var b = Int(truncatingIfNeeded: hash) & mask
        while buckets[b] >= 0 { b = (b + 1) & mask }
        if buckets[b] == Self.deleted { tombstones -= 1 }
        buckets[b] = Int32(i)
        count += 1
        return i
    }

    /// Removes the entry at slab index `i`; returns it.
    @discardableResult
    mutating func remove(at i: Int) -> Entry {
        let entry = slab[i]!
        let mask = buckets.count - 1
        var b = Int(truncatingIfNeeded: entry.hash) & mask
        while buckets[b] != Int32(i) { b = (b + 1) & mask }
        buckets[b] = Self.deleted
        tombstones += 1
        slab[i] = nil
        freeList.append(i)
        count -= 1
        return entry
    }

    /// Re-inserts every entry into a table without tombstones (grown when it is full).
    private mutating func rebuild() {
        var size = buckets.count
        while (count + 1) * 2 > size { size *= 2 }
        buckets = Array(repeating: Self.empty, count: size)
        tombstones = 0
        let mask = size - 1
        for (i, entry) in slab.enumerated() {
            guard let entry else { continue }
            var b = Int(truncatingIfNeeded: entry.hash) & mask
            while buckets[b] != Self.empty { b = (b + 1) & mask }
            buckets[b] = Int32(i)
        }
    }
}
