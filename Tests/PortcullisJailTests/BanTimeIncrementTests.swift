import Testing
import PortcullisConfig
@testable import PortcullisJail

@Suite struct BanTimeIncrementTests {
    private func increment(_ pairs: [(String, String)], base: Double = 600) throws(JailSettingsError) -> BanTimeIncrement {
        try BanTimeIncrement(options: OrderedOptions([("bantime.increment", "true")] + pairs), baseBanTime: base)
    }

    private func series(_ inc: BanTimeIncrement, base: Double = 600) -> [Double] {
        (1...10).map { inc.banTime(base: base, banCount: $0, random: 0) }
    }

    // The vectors of fail2ban's own BanTimeIncr test, for the formula and for multipliers.
    @Test(arguments: [nil, "1 2 4 8 16 32 64 128 256"])
    func fail2banVectors(multipliers: String?) throws {
        var options = [("bantime.maxtime", "1d")]
        if let multipliers { options.append(("bantime.multipliers", multipliers)) }
        #expect(series(try increment(options)) == [1200, 2400, 4800, 9600, 19200, 38400, 76800, 86400, 86400, 86400])

        options[0] = ("bantime.maxtime", "30d")
        let growing: [Double] = [1200, 2400, 4800, 9600, 19200, 38400, 76800, 153600, 307200, 614400]
        let expected = multipliers == nil ? growing : Array(growing[0..<8]) + [153600, 153600]
        #expect(series(try increment(options)) == expected)

        options[0] = ("bantime.maxtime", "1d")
        #expect(series(try increment(options + [("bantime.factor", "2")]))
                == [2400, 4800, 9600, 19200, 38400, 76800, 86400, 86400, 86400, 86400])
        #expect(series(try increment(options + [("bantime.factor", "1.33")])).map { Int($0) }
                == [1596, 3192, 6384, 12768, 25536, 51072, 86400, 86400, 86400, 86400])

        options[0] = ("bantime.maxtime", "12h")
        #expect(series(try increment(options)) == [1200, 2400, 4800, 9600, 19200, 38400, 43200, 43200, 43200, 43200])
    }

    @Test func multipliersTakePrecedenceOverTheFormula() throws {
        let inc = try increment([("bantime.multipliers", "1 5 30"), ("bantime.factor", "2"),
                                 ("bantime.formula", "ban.Time * 1000")], base: 60)
        // ban.Time * factor * multipliers[count], the last multiplier once past the end; no max(ban.Time, …).
        #expect(try (0...4).map { try inc.calculate(base: 60, banCount: $0, random: 0) } == [120, 600, 3600, 3600, 3600])
    }

    @Test func formulaNeverShortensTheBan() throws {
        let inc = try increment([("bantime.formula", "ban.Time / 2")])
        #expect(inc.banTime(base: 600, banCount: 1, random: 0) == 600)
    }

    @Test func jailConfAggressiveExample() throws {
        let inc = try increment([("bantime.formula", "ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)"),
                                 ("bantime.factor", "2.0 / 2.885385")])
        let values = (1...4).map { inc.banTime(base: 600, banCount: $0, random: 0) }
        for (value, expected) in zip(values, [1200.0014649367868, 2400.0058597507245, 4800.017579262904, 9600.046878063022]) {
            #expect(abs(value - expected) < 1e-6)
        }
    }

    @Test func rndtimeAddsTheInjectedRandomPart() throws {
        let inc = try increment([("bantime.rndtime", "5m"), ("bantime.maxtime", "1d")])
        #expect(inc.banTime(base: 600, banCount: 1, random: 0) == 1200)
        #expect(inc.banTime(base: 600, banCount: 1, random: 0.5) == 1350)
        // Added after the cap.
        #expect(inc.banTime(base: 600, banCount: 10, random: 0.25) == 86400 + 75)
    }

    @Test func firstBanAndPermanentBanKeepTheBase() throws {
        let inc = try increment([("bantime.rndtime", "5m"), ("bantime.maxtime", "1m")])
        #expect(inc.banTime(banCount: 0, lastBanTime: nil, random: 0.9) == 600)
        #expect(inc.banTime(base: -1, banCount: 3, random: 0.9) == -1)
        // The stored base is used by the brief's entry point.
        #expect(try increment([]).banTime(banCount: 2, lastBanTime: 1200, random: 0) == 2400)
    }

    @Test func failingFormulaFallsBackToTheBase() throws {
        let inc = try increment([("bantime.formula", "ban.Time / (ban.Count - 1)")])
        #expect(inc.banTime(base: 600, banCount: 1, random: 0) == 600)
        #expect(inc.banTime(base: 600, banCount: 3, random: 0) == 600)  // max(600, 300)
    }

    @Test func emptyValuesMeanDefaults() throws {
        let inc = try increment([("bantime.factor", ""), ("bantime.formula", " "), ("bantime.multipliers", ""),
                                 ("bantime.maxtime", ""), ("bantime.rndtime", "")])
        #expect(inc.factor == 1 && inc.multipliers.isEmpty && inc.maxTime == nil && inc.rndTime == nil)
        #expect(inc.formula.text == BanTimeFormula.stock)
        #expect(!inc.overallJails)
        #expect(try increment([("bantime.overalljails", "True")]).overallJails)
    }

    @Test func enabledFlag() {
        #expect(BanTimeIncrement.isEnabled(in: OrderedOptions([("bantime.increment", "True")])))
        #expect(BanTimeIncrement.isEnabled(in: OrderedOptions([("bantime.increment", "yes")])))
        #expect(!BanTimeIncrement.isEnabled(in: OrderedOptions([("bantime.increment", "False")])))
        #expect(!BanTimeIncrement.isEnabled(in: OrderedOptions()))
    }

    @Test func badOptionsNameTheOptionAndValue() {
        let cases: [(String, String, String)] = [
            ("bantime.formula", "ban.Time * foo", "unknown name 'foo'"),
            ("bantime.formula", "ban.Time *", "unexpected end"),
            ("bantime.factor", "ban.Count", "unknown name 'ban.Count'"),
            ("bantime.multipliers", "1 2 x", "'x' is not an integer"),
            ("bantime.multipliers", "1 2.5", "'2.5' is not an integer"),
            ("bantime.maxtime", "soon", "not a duration"),
            ("bantime.rndtime", "1 fortnight", "not a duration"),
        ]
        for (option, value, reason) in cases {
            do {
                _ = try increment([(option, value)])
                Issue.record("\(option) = \(value) was accepted")
            } catch {
                #expect(error.option == option)
                #expect(error.value == value)
                #expect(error.reason.contains(reason), "\(error.reason)")
            }
        }
    }
}
