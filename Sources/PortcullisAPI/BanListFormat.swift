/// The shapes `GET /api/get_banlist?fwtype=…` answers in. Pure renderers over a list of bans,
/// so each shape is tested without HTTP.
///
/// - `raw`: one address per line, distinct across jails, sorted (IPv4 first) — Krawl's
///   format, what a fail2ban `failregex = ^<HOST>$` jail on another host reads.
/// - `iptables`: the same list. Krawl's `fwtype=iptables` is one address per line (its
///   iptables and nftables scripts run `while read ip; do iptables -A INPUT -s "$ip" …`),
///   so those scripts work unchanged against Portcullis.
/// - `iptables-restore`: an `iptables-restore --noflush` fragment filling the chain
///   `portcullis-banlist` (`version=6`: for `ip6tables-restore`); hook it once with
///   `iptables -I INPUT -j portcullis-banlist`.
/// - `nftables`: an `nft -f` script that replaces table `inet portcullis_banlist` (two sets
///   and an input chain dropping them).
/// - `json`: `[{"jail", "ip", "timeofban", "expiry" (null: permanent), "bantime", "bancount"}]`.
/// - `csv`: header `jail,ip,timeofban,expiry,bantime,bancount`, one ban per line.
/// - `aws-waf`: the JSON for `aws wafv2 create-ip-set --cli-input-json` (IPv4 unless `version=6`).
public enum BanListFormat: String, Sendable, CaseIterable {
    case raw
    case iptables
    case iptablesRestore = "iptables-restore"
    case nftables
    case json
    case csv
    case awsWAF = "aws-waf"

    /// The `fwtype` values, for the message answering an unknown one.
    public static var names: [String] { allCases.map(\.rawValue) }

    public var contentType: String {
        switch self {
        case .json, .awsWAF: "application/json"
        case .csv: "text/csv; charset=utf-8"
        case .raw, .iptables, .iptablesRestore, .nftables: "text/plain; charset=utf-8"
        }
    }

    /// Renders `bans` (any order; renderers sort). `version` keeps one IP version only;
    /// `iptables-restore` and `aws-waf` take IPv4 when it is nil, since each of their targets
    /// holds one version.
    public func render(_ bans: [ExportedBan], version: IPVersion? = nil, options: AWSWAFOptions = AWSWAFOptions()) -> String {
        switch self {
        case .raw, .iptables: AddressListRenderer.lines(bans, version: version)
        case .iptablesRestore: FirewallScriptRenderer.iptablesRestore(bans, version: version ?? .v4)
        case .nftables: FirewallScriptRenderer.nftables(bans, version: version)
        case .json: BanTableRenderer.json(bans, version: version)
        case .csv: BanTableRenderer.csv(bans, version: version)
        case .awsWAF: AWSWAFRenderer.ipSet(bans, version: version ?? .v4, options: options)
        }
    }
}

/// Plain address lists.
enum AddressListRenderer {
    /// One address per line, each line ending in a newline; empty when nothing is banned.
    static func lines(_ bans: [ExportedBan], version: IPVersion?) -> String {
        BannedAddress.distinct(bans, version: version).map { $0.text + "\n" }.joined()
    }
}
