/// A failregex hit as ``LineFilter`` reports it to a callback: what fail2ban-regex counts
/// (which regex, `<F-NOFAIL>`, whether an id was found) is read directly; the full
/// ``Failure`` — canonical address text, captured fields, matched lines — is assembled only
/// by ``makeFailure()``.
public struct FailureMatch {
    /// Index of the failregex that matched.
    public let regexIndex: Int
    /// Set for a `<F-NOFAIL>` match: counted as a hit of the regex, not as a failure.
    public let isNoFail: Bool
    /// Epoch seconds of the log line, nil when unknown.
    public let time: Double?
    /// The failure as merged so far (fields, matched lines, users).
    let data: FailureData
    /// The address, host name or id text the failure is counted under, as captured.
    let host: String?
    /// The `<F-ID>` text, when there is one.
    let fid: String?
    /// `host` is an address or an id (no DNS resolution wanted).
    let isRaw: Bool
    /// `host` came from an `ip4`/`ip6` group (a `cidr` group gives its prefix length).
    let hostIsAddress: Bool
    /// Report host names and addresses as written (`usedns = raw`, fail2ban-regex `--raw`).
    let defaultRaw: Bool

    /// Whether the hit names its failure (an address, a host name or an `<F-ID>`); false for
    /// a multi-line failure still waiting for its id.
    public var hasID: Bool { host != nil }

    /// The failure, as ``LineFilter/process(line:now:)`` returns it.
    public func makeFailure() -> Failure {
        let fields = data.fields
        var failure = Failure(regexIndex: regexIndex, id: nil, address: nil, needsResolution: false, time: time,
                              fields: fields, matches: data.matches, users: data.users ?? [], isNoFail: isNoFail)
        guard let host else { return failure }
        if isRaw {
            let prefixLength = hostIsAddress ? fields[slot: fields.table.cidr].flatMap { Int($0) } : nil
            let canonical = defaultRaw && fields[slot: fields.table.ip4] == nil && fields[slot: fields.table.ip6] == nil
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
