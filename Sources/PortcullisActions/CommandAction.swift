import Foundation
import PortcullisConfig

/// One action of one jail (fail2ban's `CommandAction`): runs a stock `action.d` definition's shell
/// commands unchanged, with fail2ban's life cycle.
///
/// - Families: an action with `opt?family=inet6` values runs its commands once per address family
///   (`inet4`, and `inet6` when the host uses IPv6), picking the conditional values for `inet6`.
///   The same command text is not run twice for two families.
/// - Start on demand: such an action (or one with `actionstart_on_demand = true`) starts a family
///   only at the first ban of an address of that family; `start()` then does nothing.
/// - A family remembers whether it holds bans: `unban` runs only where a ban succeeded, and
///   `flush` only where something is banned.
/// - A failed ban or unban is run once more; first, when there is an `actioncheck` and it fails,
///   the environment is repaired (`actionrepair`, or stop and start), as fail2ban does.
///
/// Operations are serialised: one command of this action at a time, in call order.
public actor CommandAction {
    /// How `flush` got rid of the bans.
    public enum FlushOutcome: Sendable, Equatable {
        /// `actionflush` ran.
        case flushed
        /// Nothing was banned through this action.
        case nothingToFlush
        /// No `actionflush`: each given ban was unbanned (count of unbans run).
        case unbannedEach(Int)
    }

    /// The operations fail2ban knows, in its order (`get … action … actionban` gives "" for unset ones).
    public static let operations = ["actionstart", "actionstop", "actioncheck", "actionban", "actionunban",
                                    "actionflush", "actionrepair", "actionreload", "actionprolong", "actionreban"]

    /// The action's unique name in its jail (`actname`).
    public nonisolated let name: String
    /// The jail it belongs to.
    public nonisolated let jail: String

    let runner: CommandRunner
    let log: LogSink?
    let clock: @Sendable () -> Double
    let ipv6Allowed: Bool

    /// The action's properties as fail2ban's server holds them: commands, flags, `[Init]` and
    /// jail-given options, `timeout`.
    public private(set) var properties: OrderedOptions {
        didSet { hasConditionalOptions = Self.hasConditionalOptions(properties) }
    }
    /// Some option has an `opt?family=…` variant: kept with the properties, as every ban asks.
    private(set) var hasConditionalOptions: Bool
    /// The jail's ban time, for `<bantime>` in commands that have no ban (`actionstart`…).
    public private(set) var jailBanTime: Double
    /// Raised by every repair: bans made before it may be gone, so the jail should re-ban them.
    public internal(set) var banEpoch = 0

    var staticTags: [String: StaticTags] = [:]
    /// Per family: 1 started, 2 holds bans (fail2ban's `__started`), in first-use order.
    var started: [(family: String, state: Int)] = []
    /// Per operation and family, the command text last run successfully.
    var executed: [String: [String: String]] = [:]
    private var busy = false
    private var hostNamesReady = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// - Parameters:
    ///   - jailBanTime: the jail's `bantime` in seconds, for `<bantime>` outside bans.
    ///   - ipv6Allowed: whether to start conditional actions for `inet6` too (fail2ban's
    ///     `allowipv6`); nil detects an IPv6 address on any interface.
    ///   - clock: seconds since the epoch, for `<time>` outside bans.
    public init(definition: ActionDefinition, runner: CommandRunner = CommandRunner(), log: LogSink?,
                jailBanTime: Double = 600, ipv6Allowed: Bool? = nil,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        name = definition.actionName
        jail = definition.jailName
        self.runner = runner
        self.log = log
        self.clock = clock
        self.jailBanTime = jailBanTime
        self.ipv6Allowed = ipv6Allowed ?? HostNames.ipv6InUse
        var properties = OrderedOptions()
        for (option, value) in definition.commands { properties[option] = value }
        for (flag, value) in definition.flags.sorted(by: { $0.key < $1.key }) { properties[flag] = value ? "True" : "False" }
        for (option, value) in definition.initOptions { properties[option] = value }
        properties["timeout"] = Self.normalizedTimeout(properties["timeout"] ?? "60")
        self.properties = properties
        hasConditionalOptions = Self.hasConditionalOptions(properties)
    }

    // MARK: - Properties (`get/set <jail> action <act> <prop>`)

    /// The command text as `get <jail> action <act> actionban` prints it: run-time tags unresolved.
    public func command(_ operation: String) -> String? {
        properties[operation] ?? (Self.operations.contains(operation) ? "" : nil)
    }

    public func property(_ key: String) -> String? {
        command(key)
    }

    /// Sets a property as `set <jail> action <act> <prop> <value>` does; `bantime` is ignored, as
    /// in fail2ban (it comes from the ban).
    public func setProperty(_ key: String, _ value: String) {
        guard key != "bantime" else { return }
        properties[key] = key == "timeout" ? Self.normalizedTimeout(value) : value
        staticTags = [:]
    }

    public func setJailBanTime(_ seconds: Double) {
        jailBanTime = seconds
    }

    /// `timeout` in seconds (fail2ban's `str2seconds`), 60 when unreadable.
    public var timeout: Double {
        (try? TimeAbbreviation.seconds(properties["timeout"] ?? "60")) ?? 60
    }

    static func normalizedTimeout(_ text: String) -> String {
        guard let seconds = try? TimeAbbreviation.seconds(text) else { return text }
        return seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : "\(seconds)"
    }

    func flag(_ name: String) -> Bool? {
        properties[name].map(JailReader.asBool)
    }

    /// Some option has an `opt?family=…` variant.
    static func hasConditionalOptions(_ properties: OrderedOptions) -> Bool {
        properties.names.contains { name in
            guard let mark = name.firstIndex(of: "?") else { return false }
            let base = name[..<mark]
            return !base.isEmpty && base.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
                && name[name.index(after: mark)...].hasPrefix("family=")
        }
    }

    /// The families `start()` starts (`families` option, else by conditional options).
    var families: [String] {
        if let list = properties["families"], !list.isEmpty {
            return OptionSpec.splitWords(list)
        }
        if hasConditionalOptions { return ipv6Allowed ? ["inet4", "inet6"] : ["inet4"] }
        return [""]
    }

    /// `actionstart_on_demand`, or implied by conditional options.
    public var startsOnDemand: Bool { flag("actionstart_on_demand") ?? hasConditionalOptions }
    /// `norestored`: restored bans skip this action.
    public var skipsRestoredBans: Bool { flag("norestored") ?? false }
    /// `actionprolong` is set.
    public var isProlongable: Bool {
        !(properties["actionprolong"] ?? "").allSatisfy(\.isWhitespace)
    }

    // MARK: - Serialisation

    func exclusive<T>(_ body: () async throws(ActionError) -> T) async throws(ActionError) -> T {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
        defer {
            if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
        }
        if !hostNamesReady {
            hostNamesReady = true
            if properties.contains(where: { $0.1.contains("hostname>") }) { await HostNames.prepare() }
        }
        return try await body()
    }
}
