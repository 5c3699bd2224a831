/// What the jail decided about a failure or a manual ban, for the daemon to act on: run ban
/// actions and store the ban, log "already banned", persist a prolonged end, or just count.
public enum JailDecision: Sendable, Equatable {
    /// Counted; `failures` is the id's retry count now (below `maxretry`).
    case counted(failures: Int)
    /// A new ban: store it, then run the ban actions. When `restored` is set it is a ban already
    /// in the store, re-read from the log (its failures are not newer than the recorded ban):
    /// fail2ban does not store it again.
    case ban(BanTicket)
    /// The id reached `maxretry` again (or was banned by hand) while banned; nothing changes.
    case alreadyBanned(BanTicket)
    /// As `alreadyBanned`, but the current ban now ends later: the updated ticket. fail2ban only
    /// extends its in-memory ban here (no action runs, nothing is written).
    case prolonged(BanTicket)
    /// The ban would already be over (its failures were read late): fail2ban's
    /// "Ignore …, expired bantime". Nothing is banned.
    case expired(BanTicket)
}
