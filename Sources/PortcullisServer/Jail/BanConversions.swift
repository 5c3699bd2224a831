import PortcullisActions
import PortcullisJail
import PortcullisStore

// One ban seen by three stages: the jail's ticket, the store's row, the actions' info.

extension StoredBan {
    init(_ ticket: BanTicket, jail: String) {
        self.init(jail: jail, ip: ticket.id, timeOfBan: ticket.timeOfBan, banTime: ticket.banTime, banCount: ticket.banCount,
                  failures: ticket.failures, matches: ticket.matches, fields: ticket.fields.isEmpty ? nil : ticket.fields)
    }
}

extension BanTicket {
    init(_ ban: StoredBan) {
        self.init(id: ban.ip, timeOfBan: ban.timeOfBan, banTime: ban.banTime, banCount: ban.banCount, failures: ban.failures,
                  matches: ban.matches, fields: ban.fields ?? [:], restored: false)
    }
}

extension BanInfo {
    init(_ ticket: BanTicket) {
        self.init(ip: ticket.id, failures: ticket.failures, time: ticket.timeOfBan, banTime: ticket.banTime,
                  banCount: ticket.banCount, matches: ticket.matches, ipMatches: ticket.matches, ipJailMatches: ticket.matches,
                  fields: ticket.fields, restored: ticket.restored, id: ticket.id)
    }
}
