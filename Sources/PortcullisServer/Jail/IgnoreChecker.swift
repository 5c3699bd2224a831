import Foundation
import PortcullisActions
import PortcullisConfig
import PortcullisFilter
import PortcullisJail
#if canImport(Glibc)
import Glibc
#endif

/// The effectful half of a jail's ignore decision: the host's own addresses (`ignoreself`),
/// DNS names in `ignoreip` (resolved once and cached), and `ignorecommand` with fail2ban's
/// `ignorecache`. The pure half — addresses and networks — is `IgnoreList`.
struct IgnoreChecker: Sendable {
    var list: IgnoreList
    var command: String?
    var cacheOptions: String? {
        didSet { cache = Self.cache(for: cacheOptions) }
    }
    private var cache: IgnoreCache?
    private var resolved: [String: [IPAddress]] = [:]
    private static let selfAddresses: [IPAddress] = HostAddresses.current()

    init(list: IgnoreList, command: String?, cacheOptions: String?) {
        self.list = list
        self.command = command.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        self.cacheOptions = cacheOptions
        cache = Self.cache(for: cacheOptions)
    }

    /// What a native firewall set keeps out of its bans, as accept rules on top: the address and
    /// network entries, the host's own addresses (`ignoreself`) and the host names' addresses as
    /// they resolve now. `ignorecommand` cannot be a rule; it still keeps its addresses from bans.
    var firewallWhitelist: [String] {
        var networks = list.networks
        if list.ignoreSelf { networks += Self.selfAddresses }
        for name in list.hostNames { networks += resolved[name] ?? HostAddresses.resolve(name) }
        var seen = Set<String>()
        return networks.map(\.description).filter { seen.insert($0).inserted }
    }

    /// `ignorecache = key="<ip>", max-count=100, max-time=5m`, or no cache.
    private static func cache(for options: String?) -> IgnoreCache? {
        options.flatMap { try? IgnoreCache.Settings(option: $0) }.map { IgnoreCache(settings: $0) }
    }

    /// Why the lists ignore `id` (addresses, networks, the host's own addresses, host names), or
    /// nil. Synchronous, so a jail's actor checks each failure without leaving its executor.
    mutating func ignoredByLists(_ id: String) -> IgnoreMatch? {
        var known = resolved
        let reason = list.match(id, selfAddresses: Self.selfAddresses) { name in
            if let addresses = known[name] { return addresses }
            let addresses = HostAddresses.resolve(name)
            known[name] = addresses
            return addresses
        }
        resolved = known
        return reason
    }

    /// Whether `ignorecommand` is set, so `ignoredByCommand` has anything to ask.
    var hasCommand: Bool { command != nil }

    /// The command's match when `ignorecommand` says `id` is ignored, or nil; its answers are
    /// kept as `ignorecache` says.
    mutating func ignoredByCommand(_ id: String, runner: CommandRunner) async -> IgnoreMatch? {
        guard let command else { return nil }
        let now = Clock.now()
        let match = IgnoreMatch(source: .command, entry: "ignorecommand")
        if let hit = cache?.value(for: id, now: now) { return hit ? match : nil }
        let info = BanInfo(ip: id, failures: 0, time: now, banTime: 0, banCount: 0, matches: [], ipMatches: [],
                           ipJailMatches: [], fields: [:], restored: false, id: id)
        let text = ActionTags.substitute(command, info: info, options: OrderedOptions(), family: id.contains(":") ? "inet6" : "inet4")
        let ignored = await runner.run(text, timeout: 60).status == 0
        cache?.set(id, ignored: ignored, now: now)
        return ignored ? match : nil
    }
}

/// The host's own addresses and name resolution, through the C library.
enum HostAddresses {
    /// Every address configured on this host's interfaces, plus loopback.
    static func current() -> [IPAddress] {
        var result: [IPAddress] = [IPAddress("127.0.0.1")!, IPAddress("::1")!]
        var list: UnsafeMutablePointer<ifaddrs>? = nil
        guard getifaddrs(&list) == 0 else { return result }
        defer { freeifaddrs(list) }
        var cursor = list
        while let entry = cursor {
            if let sa = entry.pointee.ifa_addr, let address = text(of: sa) { result.append(address) }
            cursor = entry.pointee.ifa_next
        }
        return result
    }

    /// The addresses a DNS name resolves to (empty when it does not resolve).
    static func resolve(_ name: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var info: UnsafeMutablePointer<addrinfo>? = nil
        guard getaddrinfo(name, nil, &hints, &info) == 0 else { return [] }
        defer { freeaddrinfo(info) }
        var result: [IPAddress] = []
        var cursor = info
        while let entry = cursor {
            if let sa = entry.pointee.ai_addr, let address = text(of: sa), !result.contains(address) { result.append(address) }
            cursor = entry.pointee.ai_next
        }
        return result
    }

    private static func text(of sa: UnsafeMutablePointer<sockaddr>) -> IPAddress? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(sa.pointee.sa_family) {
        case AF_INET:
            var a = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            guard inet_ntop(AF_INET, &a, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        case AF_INET6:
            var a = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
            guard inet_ntop(AF_INET6, &a, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        default:
            return nil
        }
        return IPAddress(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
