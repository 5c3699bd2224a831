import Testing
@testable import PortcullisJail

@Suite struct BanListTests {
    private func ban(_ id: String, at time: Double, for banTime: Double = 600) -> BanTicket {
        BanTicket(id: id, timeOfBan: time, banTime: banTime)
    }

    @Test func ticketEnds() {
        let t = ban("a", at: 100, for: 600)
        #expect(t.endTime == 700 && !t.isPermanent)
        #expect(!t.isExpired(now: 700) && t.isExpired(now: 700.5))
        let p = ban("b", at: 100, for: -1)
        #expect(p.endTime == nil && p.isPermanent && !p.isExpired(now: .greatestFiniteMagnitude))
    }

    @Test func addKeepsBanOrderAndTotals() {
        var list = BanList()
        do { let outcome = list.add(ban("a", at: 0)); #expect(outcome == .added(ban("a", at: 0))) }
        list.add(ban("b", at: 1, for: 60))
        list.add(ban("c", at: 2, for: -1))
        #expect(list.tickets.map(\.id) == ["a", "b", "c"])
        #expect(list.ticketsByExpiry.map(\.id) == ["b", "a", "c"])
        #expect(list.currentlyBanned == 3 && list.totalBanned == 3)
        #expect(list.contains("b") && list.ticket(for: "b")?.banTime == 60)
        #expect(list.remove("b")?.id == "b")
        #expect(list.remove("b") == nil)
        #expect(list.currentlyBanned == 2 && list.totalBanned == 3)
        #expect(list.removeAll().map(\.id) == ["a", "c"])
        #expect(list.currentlyBanned == 0 && list.totalBanned == 3 && list.nextExpiry == nil)
    }

    @Test func alreadyBannedWhenTheNewBanDoesNotEndLater() {
        var list = BanList()
        list.add(ban("a", at: 0, for: 1200))
        do { let outcome = list.add(ban("a", at: 500, for: 600)); #expect(outcome == .alreadyBanned(ban("a", at: 0, for: 1200))) }
        do { let outcome = list.add(ban("a", at: 600, for: 600)); #expect(outcome == .alreadyBanned(ban("a", at: 0, for: 1200))) }
        #expect(list.totalBanned == 1)
    }

    @Test func prolongedWhenTheNewBanEndsLater() {
        var list = BanList()
        list.add(ban("a", at: 0, for: 600))
        // Ends at 1000 + 600: the old ticket keeps its time and gets 600 + (1000 - 0) seconds.
        do { let outcome = list.add(ban("a", at: 1000, for: 600), now: 1000); #expect(outcome == .prolonged(ban("a", at: 0, for: 1600))) }
        #expect(list.ticket(for: "a")?.endTime == 1600)
        // A permanent ban makes it permanent.
        do { let outcome = list.add(ban("a", at: 1100, for: -1)); #expect(outcome == .prolonged(ban("a", at: 0, for: -1))) }
        // Nothing outlasts a permanent ban.
        do { let outcome = list.add(ban("a", at: 5000, for: 600)); #expect(outcome == .alreadyBanned(ban("a", at: 0, for: -1))) }
        #expect(list.totalBanned == 1 && list.tickets.count == 1)
    }

    @Test func expiredBansAreRefused() {
        var list = BanList()
        do { let outcome = list.add(ban("a", at: 0, for: 600), now: 601); #expect(outcome == .expired(ban("a", at: 0, for: 600))) }
        do { let outcome = list.add(ban("a", at: 0, for: 600), now: 600); #expect(outcome == .added(ban("a", at: 0, for: 600))) }
        do { let outcome = list.add(ban("p", at: 0, for: -1), now: 1e12); #expect(outcome == .added(ban("p", at: 0, for: -1))) }
        #expect(list.totalBanned == 2)
    }

    @Test func expiryInBanOrderAndNextExpiry() {
        var list = BanList()
        #expect(list.nextExpiry == nil)
        list.add(ban("late", at: 0, for: 900))
        list.add(ban("perm", at: 0, for: -1))
        list.add(ban("early", at: 100, for: 200))
        list.add(ban("mid", at: 0, for: 500))
        #expect(list.nextExpiry == 300)
        #expect(list.removeExpired(now: 300).isEmpty)  // due strictly after the end
        #expect(list.nextExpiry == 300)
        #expect(list.removeExpired(now: 600).map(\.id) == ["early", "mid"])
        #expect(list.nextExpiry == 900)
        #expect(list.removeExpired(now: 899).isEmpty)
        #expect(list.removeExpired(now: 1e9).map(\.id) == ["late"])
        #expect(list.nextExpiry == nil)
        #expect(list.tickets.map(\.id) == ["perm"])
    }

    @Test func nextExpiryAfterAnUnbanIsABound() {
        var list = BanList()
        list.add(ban("a", at: 0, for: 100))
        list.add(ban("b", at: 0, for: 500))
        list.remove("a")
        #expect(list.nextExpiry.map { $0 <= 500 } == true)
        #expect(list.removeExpired(now: 200).isEmpty)
        #expect(list.nextExpiry == 500)
    }

    @Test func reBanAfterUnbanGoesToTheEnd() {
        var list = BanList()
        list.add(ban("a", at: 0))
        list.add(ban("b", at: 0))
        list.remove("a")
        list.add(ban("a", at: 1))
        #expect(list.tickets.map(\.id) == ["b", "a"])
        #expect(list.totalBanned == 3)
    }

    @Test func manyBansAndUnbans() {
        var list = BanList()
        for i in 0..<1000 { list.add(ban("id\(i)", at: Double(i), for: 10)) }
        for i in stride(from: 0, to: 1000, by: 2) { list.remove("id\(i)") }
        #expect(list.currentlyBanned == 500)
        #expect(list.tickets.first?.id == "id1" && list.tickets.last?.id == "id999")
        let due = list.removeExpired(now: 500.5)
        #expect(due.count == 245 && due.first?.id == "id1" && due.last?.id == "id489")
        #expect(list.nextExpiry == 501)
    }

    @Test func updateKeepsThePlace() {
        var list = BanList()
        list.add(ban("a", at: 0))
        list.add(ban("b", at: 0))
        do { let done = list.update(ban("a", at: 0, for: 50)); #expect(done) }
        do { let done = list.update(ban("zzz", at: 0)); #expect(!done) }
        #expect(list.tickets.map(\.id) == ["a", "b"] && list.nextExpiry == 50)
    }
}
