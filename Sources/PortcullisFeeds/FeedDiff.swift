/// The change between the list a feed had and the list it has now, so the firewall set is
/// updated in one batch of additions and removals instead of being flushed and refilled (which
/// would open a window with nothing blocked, and cost a million kernel operations).
public struct FeedDiff: Sendable, Equatable {
    /// In `new` but not in `old`, sorted (byte order) so batches and logs are reproducible.
    public var add: [String]
    /// In `old` but not in `new`, sorted.
    public var remove: [String]

    public init(add: [String] = [], remove: [String] = []) {
        self.add = add
        self.remove = remove
    }

    /// One pass over each set (hash look-ups in the other), then a sort of only the changes.
    public init(old: Set<String>, new: Set<String>) {
        add = Self.sorted(new.subtracting(old))
        remove = Self.sorted(old.subtracting(new))
    }

    public var isEmpty: Bool { add.isEmpty && remove.isEmpty }

    /// Byte order, sorting on the first 16 bytes as two integers (a whole IPv4 address or network
    /// fits) and comparing the strings only on a tie: 1M addresses sort several times faster
    /// than with `String`'s `<`, which gives the same order for ASCII.
    static func sorted(_ set: Set<String>) -> [String] {
        var keyed = set.map { (key: prefixKey($0), text: $0) }
        keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.text < $1.text }
        return keyed.map(\.text)
    }

    /// The first 16 UTF-8 bytes, big-endian, zero-padded (a shorter string sorts first).
    static func prefixKey(_ text: String) -> (UInt64, UInt64) {
        var high: UInt64 = 0, low: UInt64 = 0, count = 0
        for byte in text.utf8.prefix(16) {
            if count < 8 { high |= UInt64(byte) << (56 - 8 * count) } else { low |= UInt64(byte) << (56 - 8 * (count - 8)) }
            count += 1
        }
        return (high, low)
    }
}
