/// Where a blocklist feed comes from: an `http`/`https` URL (Krawl's `/api/get_banlist?fwtype=raw`)
/// or a local file another program writes. One of the two, never both.
public enum FeedSource: Sendable, Equatable, CustomStringConvertible {
    case url(String)
    case path(String)

    /// The URL or path, as the feed's messages name it.
    public var description: String {
        switch self {
        case .url(let url): return url
        case .path(let path): return path
        }
    }
}

/// One `[feed-NAME]` section of the jail configuration, resolved: a list of addresses and
/// networks that Portcullis fetches every `interval` and blocks as a whole, replacing the
/// `curl` + cron + log-file jail that a blocklist needed with fail2ban.
///
/// Feed options are read from the feed's own section only (except `ignoreip` and `banaction`,
/// which are inherited from `[DEFAULT]` like a jail's): the stock `[DEFAULT]` carries jail
/// values (`bantime = 10m`, `protocol = tcp`, `enabled = false`) that would quietly turn a
/// blocklist into a ten-minute, TCP-only, disabled one.
public struct FeedDefinition: Sendable, Equatable {
    /// The section name, `feed-krawl`.
    public var name: String
    /// Where the list is fetched; for a URL, with `categories=` already added to its query.
    public var source: FeedSource
    /// Seconds between fetches (`interval`, default 300 = 5 minutes).
    public var interval: Double
    /// `bantime`: `-1` (the default, any value ≤ 0) keeps an address blocked exactly as long as
    /// the feed lists it, however long the feed is unreachable. A positive value bounds how long
    /// the last good list is kept while fetches keep failing (or answer empty): once no
    /// successful fetch happened for longer than `bantime` seconds, every address of the feed is
    /// unblocked. An address the feed keeps listing is never unblocked by `bantime`.
    public var banTime: Double
    /// Seconds a fetch may take before it fails (`timeout`, default 30).
    public var timeout: Double
    /// `categories = scanner, bruteforce`: the Krawl categories asked for (also in `source`).
    public var categories: [String]
    /// `port`: the ports blocked, as a jail writes them; `""` (the default) blocks every port.
    public var ports: String
    /// `protocol`: `all` (the default), `tcp`, `udp`, …
    public var `protocol`: String
    /// `blocktype`: `drop` (the default: a blocklist's addresses are hostile, so they get no
    /// answer) or `reject`.
    public var blockType: String
    /// The firewall backend that holds the feed's set: `portcullis-nftables` or `portcullis-ipset`.
    public var backend: String
    /// `ignoreip` (inherited from `[DEFAULT]`): addresses and networks never blocked even if listed.
    public var ignoreIP: [String]
    /// False only when the feed's own section says `enabled = false`.
    public var enabled: Bool
    /// Where the section starts (its first option), for messages.
    public var file: String?
    public var line: Int?

    public init(name: String, source: FeedSource, interval: Double = 300, banTime: Double = -1, timeout: Double = 30,
                categories: [String] = [], ports: String = "", protocol: String = "all", blockType: String = "drop",
                backend: String = "portcullis-nftables", ignoreIP: [String] = [], enabled: Bool = true,
                file: String? = nil, line: Int? = nil) {
        self.name = name
        self.source = source
        self.interval = interval
        self.banTime = banTime
        self.timeout = timeout
        self.categories = categories
        self.ports = ports
        self.protocol = `protocol`
        self.blockType = blockType
        self.backend = backend
        self.ignoreIP = ignoreIP
        self.enabled = enabled
        self.file = file
        self.line = line
    }
}
