/// Why an id is ignored, for the daemon's log line (fail2ban: "[sshd] Ignore 192.0.2.1 by ip").
public struct IgnoreMatch: Sendable, Equatable {
    /// Which rule matched.
    public enum Source: Sendable, Equatable {
        /// `ignoreself`: one of the host's own addresses.
        case ownAddress
        /// An address or network entry.
        case address
        /// A host name entry whose addresses include the id.
        case hostName
        /// `ignorecommand` exited 0 for the id.
        case command
    }

    public var source: Source
    /// The entry that matched, as printed by `get <jail> ignoreip`; "self" for `ignoreself`,
    /// "ignorecommand" for the command.
    public var entry: String

    public init(source: Source, entry: String) {
        self.source = source
        self.entry = entry
    }

    /// fail2ban's wording of the source in its `Ignore … by …` line: "ignoreself rule", "ip",
    /// "dns" or "command".
    public var logSource: String {
        switch source {
        case .ownAddress: return "ignoreself rule"
        case .address: return "ip"
        case .hostName: return "dns"
        case .command: return "command"
        }
    }
}
