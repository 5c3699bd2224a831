import PortcullisFilter

/// One failure as the jail counts it: who (a canonical address or an `<F-ID>`), when, and the
/// log lines that showed it. The filter's `Failure` carries much more; the jail needs only this,
/// and the same shape comes back out of `FailureCounter` as the ticket to ban.
public struct FailureTicket: Sendable, Equatable {
    /// Canonical address (`192.0.2.1`, `2001:db8::1`, `10.0.0.0/24`) or raw `<F-ID>`.
    public var id: String
    /// Epoch seconds of the failure; on a ticket to ban, of the latest failure.
    public var time: Double
    /// The matched log lines; on a ticket to ban, at most `maxmatches` of the latest.
    public var matches: [String]
    /// Going in: how many failures this report stands for (1 from the filter; the number of
    /// messages for `set <jail> attempt`). Coming out: the attempts gathered (fail2ban's
    /// `<failures>`), which is not re-estimated over `findtime` the way the retry count is.
    public var failures: Int
    /// Captured `F-*` groups and named fields (`user`, …), from the first failure of a ticket.
    public var fields: [String: String] {
        get {
            switch storedFields {
            case .values(let values): return values
            case .captured(let captured): return captured.setValues
            }
        }
        set { storedFields = .values(newValue) }
    }

    /// The filter's captures stay as they came until a ban needs them by name: most failures
    /// are only counted, and a dictionary per failure was a large part of the daemon's time.
    private enum StoredFields: Sendable {
        case captured(FailureFields)
        case values([String: String])
    }
    private var storedFields: StoredFields

    public init(id: String, time: Double, matches: [String] = [], failures: Int = 1, fields: [String: String] = [:]) {
        self.id = id
        self.time = time
        self.matches = matches
        self.failures = failures
        self.storedFields = .values(fields)
    }

    public static func == (a: FailureTicket, b: FailureTicket) -> Bool {
        a.id == b.id && a.time == b.time && a.matches == b.matches && a.failures == b.failures && a.fields == b.fields
    }

    /// From the filter's failure; nil when it has no id yet or is a `<F-NOFAIL>` hit (which
    /// fail2ban never counts). `now` stands in for a failure without a time.
    public init?(_ failure: Failure, now: Double) {
        guard let id = failure.id, !failure.isNoFail else { return nil }
        self.init(id: id, time: failure.time ?? now, matches: failure.matches, failures: 1)
        storedFields = .captured(failure.fields)
    }
}
