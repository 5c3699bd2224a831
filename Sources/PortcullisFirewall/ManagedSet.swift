/// One ban set the firewall manages: a jail's or a feed's. Its kernel objects are named from
/// `name` (see `KernelNames`); `whitelist` is the jail's `ignoreip` (addresses and networks; DNS
/// names and anything else are ignored here, the jail resolves those itself).
public struct ManagedSet: Sendable, Hashable {
    /// The jail or feed name, e.g. `sshd`, `feed-krawl`: any text, sanitised for the kernel.
    public var name: String
    public var scope: BlockScope
    public var whitelist: [String]

    public init(name: String, scope: BlockScope = BlockScope(), whitelist: [String] = []) {
        self.name = name
        self.scope = scope
        self.whitelist = whitelist
    }
}

/// One address or network to block, until `expiry` (absolute epoch seconds) or for good.
public struct BanElement: Sendable, Hashable {
    /// An IP address or CIDR network in any spelling (`::ffff:1.2.3.4`, `10.0.0.7/24`); stored
    /// in `IPAddress`'s canonical text form.
    public var address: String
    /// Absolute epoch seconds; nil = permanent.
    public var expiry: Double?

    public init(address: String, expiry: Double? = nil) {
        self.address = address
        self.expiry = expiry
    }
}
