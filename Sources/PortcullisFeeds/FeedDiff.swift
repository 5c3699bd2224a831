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

    /// Canonical addresses are ASCII, where `String`'s `<` is byte order.
    static func sorted(_ set: Set<String>) -> [String] {
        set.sorted()
    }
}
