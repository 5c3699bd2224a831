import Foundation
import PortcullisConfig

/// `bantime.increment` and its companions: repeat offenders get longer bans. fail2ban computes
/// the next ban time from the address's ban history as
/// `bantime.multipliers` (when set: `ban.Time * factor * multipliers[min(count, last)]`) or else
/// `max(ban.Time, bantime.formula)`, then caps it at `bantime.maxtime` and adds up to
/// `bantime.rndtime` random seconds. This type holds those options, checked when the jail loads.
public struct BanTimeIncrement: Sendable {
    /// The jail's `bantime` (`ban.Time` in the formula), whole seconds as fail2ban keeps it.
    public var baseBanTime: Double
    /// `bantime.factor` (`banFactor`), default 1; fail2ban evaluates it as an expression.
    public var factor: Double
    /// `bantime.formula`, default `BanTimeFormula.stock`.
    public var formula: BanTimeFormula
    /// `bantime.multipliers`; when not empty they replace the formula.
    public var multipliers: [Int]
    /// `bantime.maxtime` in seconds: the cap (nil: none).
    public var maxTime: Double?
    /// `bantime.rndtime` in seconds: the most random seconds added (nil: none).
    public var rndTime: Double?
    /// `bantime.overalljails`: count bans of the address in every jail, not only this one.
    public var overallJails: Bool

    /// Whether `bantime.increment` is on in `options` (fail2ban's boolean spellings).
    public static func isEnabled(in options: OrderedOptions) -> Bool {
        JailReader.asBool(options["bantime.increment"] ?? "false")
    }

    /// Reads the `bantime.*` options of a jail (`bantime.increment` itself is the caller's
    /// business, see `isEnabled(in:)`). An empty value means the option's default, as in fail2ban.
    public init(options: OrderedOptions, baseBanTime: Double) throws(JailSettingsError) {
        func value(_ name: String) -> String? {
            guard let v = options[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
            return v
        }
        let factorText = value("bantime.factor") ?? "1"
        let factor: Double
        do {
            factor = try BanTimeFormula(factorText, variables: []).evaluate(banTime: 0, banCount: 0)
        } catch {
            throw JailSettingsError(option: "bantime.factor", value: factorText, reason: error.description)
        }
        let formulaText = value("bantime.formula") ?? BanTimeFormula.stock
        let formula: BanTimeFormula
        do {
            formula = try BanTimeFormula(formulaText)
        } catch {
            throw JailSettingsError(option: "bantime.formula", value: formulaText, reason: error.description)
        }
        var multipliers: [Int] = []
        if let text = value("bantime.multipliers") {
            for word in text.split(whereSeparator: \.isWhitespace) {
                guard let m = Int(word) else {
                    throw JailSettingsError(option: "bantime.multipliers", value: text,
                                            reason: "'\(word)' is not an integer (expected e.g. 1 2 4 8 16 32 64)")
                }
                multipliers.append(m)
            }
        }
        func seconds(_ name: String) throws(JailSettingsError) -> Double? {
            guard let text = value(name) else { return nil }
            do { return try TimeAbbreviation.seconds(text) } catch {
                throw JailSettingsError(option: name, value: text, reason: "not a duration (expected e.g. 3600, 1h, 1d, 1w)")
            }
        }
        self.baseBanTime = baseBanTime
        self.factor = factor
        self.formula = formula
        self.multipliers = multipliers
        self.maxTime = try seconds("bantime.maxtime")
        self.rndTime = try seconds("bantime.rndtime")
        self.overallJails = JailReader.asBool(options["bantime.overalljails"] ?? "false")
    }

    /// Direct construction (tests, `set <jail> bantime.*` at run time).
    public init(baseBanTime: Double = 600, factor: Double = 1, formula: BanTimeFormula? = nil, multipliers: [Int] = [],
                maxTime: Double? = nil, rndTime: Double? = nil, overallJails: Bool = false) {
        self.baseBanTime = baseBanTime
        self.factor = factor
        // The stock formula always parses.
        self.formula = formula ?? (try! BanTimeFormula(BanTimeFormula.stock))
        self.multipliers = multipliers
        self.maxTime = maxTime
        self.rndTime = rndTime
        self.overallJails = overallJails
    }

    /// The ban time for a ban whose previous ban count is `banCount` (0 for a first ban). As in
    /// fail2ban's ban path, a first ban (or a permanent/zero `bantime`) keeps `baseBanTime`
    /// unchanged — no formula, no cap, no random part; later bans get `calcBanTime`.
    /// `lastBanTime` (the previous ban's duration) is accepted for callers that have it, but
    /// fail2ban's formula does not use it, so neither does this. `random` in 0..<1 supplies
    /// `bantime.rndtime`'s randomness. A formula that fails to evaluate (division by zero, …)
    /// leaves the base ban time, as fail2ban does after logging the error.
    public func banTime(banCount: Int, lastBanTime: Double?, random: Double) -> Double {
        banTime(base: baseBanTime, banCount: banCount, random: random)
    }

    /// `banTime(banCount:lastBanTime:random:)` for an explicit base (the jail's current `bantime`).
    public func banTime(base: Double, banCount: Int, random: Double) -> Double {
        guard base > 0, banCount > 0 else { return base }
        guard let value = try? calculate(base: base, banCount: banCount, random: random), value.isFinite else { return base }
        return value
    }

    /// fail2ban's `calcBanTime`: the increment chain for any count (0 included), errors thrown.
    public func calculate(base: Double, banCount: Int, random: Double) throws(FormulaError) -> Double {
        var value: Double
        if !multipliers.isEmpty {
            let m = multipliers[banCount >= 0 && banCount < multipliers.count ? banCount : multipliers.count - 1]
            value = base * factor * Double(m)
        } else {
            value = max(base, try formula.evaluate(banTime: base, banCount: banCount, banFactor: factor))
        }
        if let maxTime { value = min(value, maxTime) }
        if let rndTime { value += random * rndTime }
        return value
    }

    /// fail2ban's `getMaxBanTime` with increments on: `bantime.maxtime`, or -1 (no bound).
    public var maxBanTime: Double { maxTime ?? -1 }
}
