import Testing
@testable import PortcullisJail

@Suite struct BanTimeFormulaTests {
    private func eval(_ text: String, time: Double = 600, count: Int = 1, factor: Double = 1) throws -> Double {
        try BanTimeFormula(text).evaluate(banTime: time, banCount: count, banFactor: factor)
    }

    @Test func stockFormulaDoublesPerBan() throws {
        let f = try BanTimeFormula(BanTimeFormula.stock)
        let values = try (0...5).map { try f.evaluate(banTime: 600, banCount: $0, banFactor: 1) }
        #expect(values == [600, 1200, 2400, 4800, 9600, 19200])
        // The exponent stops growing at 20.
        #expect(try f.evaluate(banTime: 1, banCount: 25, banFactor: 1) == Double(1 << 20))
        #expect(try f.evaluate(banTime: 600, banCount: 2, banFactor: 1.5) == 3600)
    }

    @Test func jailConfExampleWithMathExp() throws {
        // jail.conf's "more aggressive" example: same values for factor 2.0 / 2.885385.
        let text = "ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)"
        let factor = 2.0 / 2.885385
        let v = try eval(text, count: 1, factor: factor)
        #expect(abs(v - 1200) < 1)
    }

    @Test func pythonArithmetic() throws {
        #expect(try eval("7 / 2") == 3.5)
        #expect(try eval("7 // 2") == 3)
        #expect(try eval("-7 // 2") == -4)
        #expect(try eval("-7 % 3") == 2)
        #expect(try eval("2 ** 10") == 1024)
        #expect(try eval("2 ** -1") == 0.5)
        #expect(try eval("-2 ** 2") == -4)
        #expect(try eval("2 ** 3 ** 2") == 512)
        #expect(try eval("1 << 4 + 1") == 32)  // + binds tighter than <<
        #expect(try eval("(1 << 4) + 1") == 17)
        #expect(try eval("6 & 3 | 8 ^ 1") == 11)
        #expect(try eval("~0") == -1)
        #expect(try eval("0x10 + 0b11 + 0o7 + 1_000") == 1026)
        #expect(try eval("1.5e3 + .5") == 1500.5)
    }

    @Test func comparisonsConditionalsAndLogic() throws {
        #expect(try eval("1 if ban.Count < 3 else 2", count: 2) == 1)
        #expect(try eval("1 if ban.Count < 3 else 2", count: 3) == 2)
        #expect(try eval("1 < ban.Count <= 3", count: 3) == 1)
        #expect(try eval("1 < ban.Count <= 3", count: 4) == 0)
        #expect(try eval("True * ban.Time") == 600)
        #expect(try eval("0 or 5") == 5)
        #expect(try eval("3 and 4") == 4)
        #expect(try eval("not 0") == 1)
        #expect(try eval("1 if 0 else 2 if 1 else 3") == 2)
    }

    @Test func functions() throws {
        #expect(try eval("min(ban.Time * 100, 86400)") == 60000)
        #expect(try eval("max(ban.Time, 60, 7)") == 600)
        #expect(try eval("abs(-3)") == 3)
        #expect(try eval("int(2.9)") == 2)
        #expect(try eval("round(2.5)") == 2)
        #expect(try eval("round(3.5)") == 4)
        #expect(try eval("math.pow(2, 3) + math.sqrt(16) + math.floor(1.7) + math.ceil(1.2)") == 15)
        #expect(try eval("math.log(math.e)") == 1)
        #expect(try eval("math.log(8, 2)") == 3)
    }

    @Test func largeValuesDoNotTrap() throws {
        #expect(try eval("1 << 80") == 1208925819614629174706176.0)
        #expect(try eval("ban.Time * 2 ** 62 * 1000") > 1e21)
    }

    @Test func unknownNamesAreLoadTimeErrors() {
        #expect(throws: FormulaError.self) { try BanTimeFormula("ban.Tim * 2") }
        #expect(throws: FormulaError.self) { try BanTimeFormula("__import__('os').system('x')") }
        #expect(throws: FormulaError.self) { try BanTimeFormula("os.system(1)") }
        #expect(throws: FormulaError.self) { try BanTimeFormula("ban.Time * 2", variables: []) }
        do {
            _ = try BanTimeFormula("ban.Time * foo")
            Issue.record("expected an error")
        } catch {
            #expect(error.column == 12)
            #expect(error.description.contains("unknown name 'foo'"))
            #expect(error.description.contains("ban.Time"))
        }
    }

    @Test(arguments: ["", "1 +", "(1", "1 2", "1 if 2", "min(1)", "pow(2, 3)", "1 $ 2", "lambda: 1", "'x'", "1e", "1 else 2"])
    func syntaxErrors(_ bad: String) {
        #expect(throws: FormulaError.self) { try BanTimeFormula(bad) }
    }

    @Test func evaluationErrors() throws {
        #expect(throws: FormulaError.self) { try eval("1 / (ban.Count - 1)", count: 1) }
        #expect(throws: FormulaError.self) { try eval("1 << -1") }
        #expect(throws: FormulaError.self) { try eval("1.5 << 1") }
        #expect(throws: FormulaError.self) { try eval("math.exp(10000)") }
        #expect(throws: FormulaError.self) { try eval("math.sqrt(-1)") }
    }
}
