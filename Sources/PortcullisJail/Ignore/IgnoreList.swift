import Foundation
import PortcullisConfig
import PortcullisFilter

/// A jail's `ignoreip` and `ignoreself`: the addresses it must never ban. Pure: the host's own
/// addresses and DNS answers are passed in by the daemon, which also runs `ignorecommand` and
/// keeps the `IgnoreCache`. Checked in fail2ban's order — own addresses, single addresses, then
/// networks and host names in the order they were added.
public struct IgnoreList: Sendable {
    /// `ignoreself` (fail2ban's default: true).
    public var ignoreSelf: Bool
    private var singles: [IgnoreEntry] = []
    private var singleSet: Set<IPAddress> = []
    /// Networks and host names, in the order added.
    private var others: [IgnoreEntry] = []

    public init(entries: [String] = [], ignoreSelf: Bool = true) throws(JailSettingsError) {
        self.ignoreSelf = ignoreSelf
        for entry in entries { try add(entry) }
    }

    /// From a jail's `ignoreip` and `ignoreself`; errors carry the jail and the option's `file:line`.
    public init(definition: JailDefinition) throws(JailSettingsError) {
        do {
            try self.init(entries: definition.ignoreIP, ignoreSelf: definition.ignoreSelf ?? true)
        } catch {
            throw error.inContext(jail: definition.name, location: definition.rawOptions["ignoreip"]?.location)
        }
    }

    /// Adds an entry (`set <jail> addignoreip`). An empty entry is skipped and a duplicate is not
    /// added twice (both return false, as fail2ban only logs them).
    @discardableResult
    public mutating func add(_ text: String) throws(JailSettingsError) -> Bool {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return false }
        let entry = try IgnoreEntry(parsing: text)
        switch entry {
        case .address(let a):
            guard singleSet.insert(a).inserted else { return false }
            singles.append(entry)
        default:
            guard !others.contains(entry) else { return false }
            others.append(entry)
        }
        return true
    }

    /// Removes an entry (`set <jail> delignoreip`), matched however it is spelled
    /// (`::ffff:10.0.0.1` removes `10.0.0.1`). Returns false when it was not in the list
    /// (fail2ban raises an error then).
    @discardableResult
    public mutating func remove(_ text: String) -> Bool {
        guard let entry = try? IgnoreEntry(parsing: text) else { return false }
        switch entry {
        case .address(let a):
            guard singleSet.remove(a) != nil else { return false }
            singles.removeAll { $0 == entry }
        default:
            guard let index = others.firstIndex(of: entry) else { return false }
            others.remove(at: index)
        }
        return true
    }

    /// Empties the list (`ignoreself` stays).
    public mutating func removeAll() {
        singles.removeAll()
        singleSet.removeAll()
        others.removeAll()
    }

    /// As `get <jail> ignoreip` prints them: networks and host names first, then single addresses.
    public var entries: [String] { (others + singles).map(\.description) }

    /// The address and network entries (not host names): what a firewall's whitelist rules hold.
    public var networks: [IPAddress] {
        (singles + others).compactMap {
            switch $0 {
            case .address(let address), .network(let address): address
            case .hostName: nil
            }
        }
    }

    /// The host-name entries, so the daemon can resolve them ahead of time.
    public var hostNames: [String] {
        others.compactMap { if case .hostName(let name) = $0 { return name } else { return nil } }
    }

    /// Why `id` is ignored, or nil. `selfAddresses` are the host's own addresses (used with
    /// `ignoreself`); `resolve` turns a host-name entry into addresses and is called only when the
    /// check reaches that entry. An id that is not an address (an `<F-ID>`) is never ignored by
    /// this list, as in fail2ban.
    public func match(_ id: String, selfAddresses: [IPAddress], resolve: (String) -> [IPAddress]) -> IgnoreMatch? {
        guard let address = IPAddress(id) else { return nil }
        if ignoreSelf, selfAddresses.contains(address) {
            return IgnoreMatch(source: .ownAddress, entry: "self")
        }
        if singleSet.contains(address) {
            return IgnoreMatch(source: .address, entry: address.description)
        }
        for entry in others where entry.covers(address, resolve: resolve) {
            if case .hostName = entry { return IgnoreMatch(source: .hostName, entry: entry.description) }
            return IgnoreMatch(source: .address, entry: entry.description)
        }
        return nil
    }

    /// Why `id` is ignored (nil when not): the entry that matched, or "self".
    public func ignoredBy(_ id: String, selfAddresses: [IPAddress], resolve: (String) -> [IPAddress]) -> String? {
        match(id, selfAddresses: selfAddresses, resolve: resolve)?.entry
    }
}
