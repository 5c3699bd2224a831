/// What adding a ban to a `BanList` did — fail2ban's `addBanTicket` answers only yes/no and
/// leaves the reason in a side dictionary; the daemon needs the reason to log and persist.
public enum BanOutcome: Sendable, Equatable {
    /// Newly banned (counted in "Total banned").
    case added(BanTicket)
    /// Already banned and the new ban would not end later: the current ticket, unchanged.
    case alreadyBanned(BanTicket)
    /// Already banned, and the new ban ends later: the current ticket with its ban time extended
    /// (fail2ban logs "already banned" for this too). Its `timeOfBan` is unchanged.
    case prolonged(BanTicket)
    /// The ban would already be over at `now` (fail2ban: "Ignore …, expired bantime").
    case expired(BanTicket)

    /// The ticket in the list afterwards (or the refused one for `.expired`).
    public var ticket: BanTicket {
        switch self {
        case .added(let t), .alreadyBanned(let t), .prolonged(let t), .expired(let t): return t
        }
    }
}
