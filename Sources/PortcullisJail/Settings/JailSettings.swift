import Foundation
import PortcullisConfig

/// The numbers a jail decides with — `maxretry`, `findtime`, `bantime`, `maxmatches` and the
/// `bantime.*` increment — read once from the jail's definition and checked, so a bad value is
/// reported when the jail loads rather than when an address should be banned.
public struct JailSettings: Sendable {
    /// Failures within `findTime` that make a ban.
    public var maxRetry: Int
    /// Seconds a failure counts for.
    public var findTime: Double
    /// Seconds a ban lasts; negative (`-1`) is permanent. Setting it also moves the increment's base.
    public var banTime: Double {
        didSet { increment?.baseBanTime = banTime }
    }
    /// Matched lines kept per ticket (`<matches>`); 0 keeps none.
    public var maxMatches: Int
    /// nil when `bantime.increment` is off.
    public var increment: BanTimeIncrement?

    /// fail2ban's own defaults, used when an option is not set at all (jail.conf's `[DEFAULT]`
    /// normally sets `maxretry = 5` and `maxmatches = %(maxretry)s`, but without it the server
    /// keeps maxretry 3 and maxmatches 5).
    public static let serverDefaultMaxRetry = 3
    public static let serverDefaultMaxMatches = 5

    public init(maxRetry: Int = 5, findTime: Double = 600, banTime: Double = 600, maxMatches: Int? = nil,
                increment: BanTimeIncrement? = nil) {
        self.maxRetry = maxRetry
        self.findTime = findTime
        self.banTime = banTime
        self.maxMatches = maxMatches ?? maxRetry
        self.increment = increment
        self.increment?.baseBanTime = banTime
    }

    /// From a resolved jail. Errors name the jail, the option, the value and its `file:line`.
    public init(definition: JailDefinition) throws(JailSettingsError) {
        var locations: [String: SourceLocation] = [:]
        for (name, value) in definition.rawOptions { if let l = value.location { locations[name] = l } }
        try self.init(options: definition.options, jail: definition.name, locations: locations)
    }

    /// From a jail's resolved options (`maxretry`, `maxmatches`, `findtime`, `bantime`, `bantime.*`).
    public init(options: OrderedOptions, jail: String? = nil, locations: [String: SourceLocation] = [:]) throws(JailSettingsError) {
        func fail(_ option: String, _ value: String, _ reason: String) -> JailSettingsError {
            JailSettingsError(jail: jail, option: option, value: value, reason: reason, location: locations[option])
        }
        func integer(_ option: String) throws(JailSettingsError) -> Int? {
            guard let text = options[option] else { return nil }
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else { throw fail(option, text, "not an integer") }
            return n
        }
        func seconds(_ option: String) throws(JailSettingsError) -> Double? {
            guard let text = options[option] else { return nil }
            do { return try TimeAbbreviation.seconds(text) } catch {
                throw fail(option, text, "not a duration (expected e.g. 600, 10m, 1h, 1d12h, 1w, -1)")
            }
        }
        let maxRetry = try integer("maxretry") ?? Self.serverDefaultMaxRetry
        let maxMatches = try integer("maxmatches") ?? Self.serverDefaultMaxMatches
        guard maxMatches >= 0 else { throw fail("maxmatches", String(maxMatches), "must be 0 or more") }
        let findTime = try seconds("findtime") ?? 600
        // fail2ban keeps the ban time as a whole number of seconds (int()).
        let banTime = (try seconds("bantime") ?? 600).rounded(.towardZero)
        var increment: BanTimeIncrement? = nil
        if BanTimeIncrement.isEnabled(in: options) {
            do {
                increment = try BanTimeIncrement(options: options, baseBanTime: banTime)
            } catch {
                throw error.inContext(jail: jail, location: locations[error.option])
            }
        }
        self.init(maxRetry: maxRetry, findTime: findTime, banTime: banTime, maxMatches: maxMatches, increment: increment)
    }

    /// Whether a ban of `banTime` seconds never ends.
    public static func isPermanent(_ banTime: Double) -> Bool { banTime < 0 }

    /// fail2ban's `getMaxBanTime`: the longest ban this jail gives (`bantime.maxtime` with
    /// increments, else `bantime`); -1 for no bound. Restored bans are cut to it.
    public var maxBanTime: Double { increment.map(\.maxBanTime) ?? banTime }
}
