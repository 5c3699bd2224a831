/// A failure found in the log: the identifier to count (an address, or a `<F-ID>`), when it
/// happened, the captured fields and the lines that made it.
public struct Failure: Sendable, Equatable {
    /// Index of the failregex that matched.
    public var regexIndex: Int
    /// The failure id: a canonical address (`192.0.2.1`, `2001:db8::1`, `10.0.0.0/24`), a raw
    /// `<F-ID>`/host name, or nil while a multi-line failure still waits for its id.
    public var id: String?
    /// The address when the failure id is something else (`<F-ID>` plus `<HOST>`).
    public var address: String?
    /// Whether the id came from a host name that still needs DNS resolution (`usedns`).
    public var needsResolution: Bool
    /// Epoch seconds of the log line, nil when unknown.
    public var time: Double?
    /// Every captured group (`user`, `ip4`, `fport`, custom `F-*` names, …).
    public var fields: FailureFields
    /// The log lines that make up this failure (as written, date included).
    public var matches: [String]
    /// Distinct users seen for a multi-line failure.
    public var users: Set<String>
    /// Set for a `<F-NOFAIL>` match: counted as a hit of the regex, not as a failure.
    public var isNoFail: Bool
}
