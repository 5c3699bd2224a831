/// What a feed's body held: the addresses to block and what was wrong with the rest, so the
/// administrator can see a feed that changed its format without the daemon giving up on it.
public struct ParsedFeed: Sendable, Equatable {
    /// Canonical text (`IPAddress.description`) of every address and network: IPv4 and IPv6,
    /// `/prefix` only for networks (`10.0.0.7/24` → `10.0.0.0/24`, `1.2.3.4/32` → `1.2.3.4`).
    public var addresses: Set<String>
    /// Lines that were neither blank, a comment, nor an address.
    public var invalidLines: Int
    /// The first few invalid lines, truncated and with unprintable bytes as `\xNN`, for the log.
    public var invalidSamples: [String]
    /// Addresses the feed listed that lie inside the feed's `ignoreip` networks (not blocked).
    public var ignoredLines: Int

    public init(addresses: Set<String> = [], invalidLines: Int = 0, invalidSamples: [String] = [], ignoredLines: Int = 0) {
        self.addresses = addresses
        self.invalidLines = invalidLines
        self.invalidSamples = invalidSamples
        self.ignoredLines = ignoredLines
    }
}
