/// A failregex hit as ``LineFilter`` reports it to a callback: what fail2ban-regex counts
/// (which regex, `<F-NOFAIL>`, whether an id was found) is read directly; the full
/// ``Failure`` — canonical address text, captured fields, matched lines — is assembled only
/// by ``makeFailure()``.
public struct FailureMatch {
    /// Index of the failregex that matched.
    public let regexIndex: Int
    /// Set for a `<F-NOFAIL>` match: counted as a hit of the regex, not as a failure.
    public let isNoFail: Bool
    /// Whether the hit names its failure (an address, a host name or an `<F-ID>`); false for
    /// a multi-line failure still waiting for its id.
    public let hasID: Bool
    /// Epoch seconds of the log line, nil when unknown.
    public let time: Double?
    /// The failure as merged so far (fields, matched lines, users).
    let record: FailureRecord
    /// Report host names and addresses as written (`usedns = raw`, fail2ban-regex `--raw`).
    let defaultRaw: Bool

    init(regexIndex: Int, record: FailureRecord, time: Double?, defaultRaw: Bool) {
        self.regexIndex = regexIndex
        self.record = record
        self.time = time
        self.defaultRaw = defaultRaw
        let fields = record.fields
        let t = fields.table
        isNoFail = fields.isTruthy(slot: t.nofail)
        hasID = fields.contains(value: t.ip4) || fields.contains(value: t.ip6) || fields.contains(value: t.dns)
            || fields.contains(value: t.fid)
    }

    /// The failure, as ``LineFilter/process(line:now:)`` returns it.
    public func makeFailure() -> Failure {
        let fields = record.fields
        let t = fields.table
        var failure = Failure(regexIndex: regexIndex, id: nil, address: nil, needsResolution: false, time: time,
                              fields: fields, matches: record.matches.strings, users: record.users ?? [], isNoFail: isNoFail)
        // What the failure is counted under: an address, a host name, or an `<F-ID>`.
        let fid = fields[slot: t.fid]
        let host: String?
        var isRaw = defaultRaw
        var prefixLength: Int? = nil
        if let ip4 = fields[slot: t.ip4] {
            host = ip4
            prefixLength = fields[slot: t.cidr].flatMap { Int($0) }
            isRaw = true
        } else if let ip6 = fields[slot: t.ip6] {
            host = ip6
            prefixLength = fields[slot: t.cidr].flatMap { Int($0) }
            isRaw = true
        } else if let dns = fields[slot: t.dns] {
            host = dns
        } else {
            host = fid
            isRaw = true
        }
        guard let host else { return failure }
        if isRaw {
            let canonical = defaultRaw && fields[slot: t.ip4] == nil && fields[slot: t.ip6] == nil
                ? host : LineFilter.canonicalAddress(host, prefixLength: prefixLength)
            if fid == nil || fid == host {
                failure.id = canonical
            } else {
                failure.address = canonical
                failure.id = fid
            }
        } else {
            // A host name: the jail resolves it according to usedns.
            failure.id = host
            failure.needsResolution = true
        }
        return failure
    }
}
