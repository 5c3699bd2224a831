#if canImport(Glibc)
import Glibc
#endif
import PortcullisActions

/// Carries out `nft add element` and `nft delete element` — the stock `nftables` action's
/// `actionban` and `actionunban` — through netlink in the daemon, instead of starting a shell and
/// an `nft` process for every ban.
///
/// Starting `sh` and `nft` costs about 5 ms per ban, more on a loaded machine; the netlink
/// transaction costs well under one. It takes only the commands whose effect it reproduces
/// exactly, and otherwise answers nil so that the shell runs the command as written:
/// - the program is the system's `nft` (`nft` found in the daemon's PATH, or a path, resolving to
///   `/usr/sbin/nft` or `/usr/bin/nft`: a wrapper script of the same name runs as before), no
///   options, the family named explicitly: `nft add|delete element FAMILY TABLE SET { ADDRESS, … }`;
/// - every element is a literal IPv4 or IPv6 address (no ranges, prefixes, timeouts or comments);
/// - the set exists and is a plain `ipv4_addr`/`ipv6_addr` set matching the addresses: not an
///   interval, map, concatenation or constant set, and without per-element statements.
/// When the kernel refuses the change (the table was deleted, the element is missing), nothing
/// has changed — a transaction is all or nothing — and the shell runs `nft` after all, so the
/// error logged is `nft`'s own, exactly as before.
public struct NftablesElementShortcut: CommandShortcut {
    public init() {}

    /// A recognised element command.
    struct ElementChange: Equatable {
        var adding: Bool
        var family: UInt8
        var table: String
        var set: String
        var keys: [[UInt8]]
    }

    public func run(_ command: SimpleCommand) -> CommandResult? {
        guard let change = Self.elementChange(command.arguments) else { return nil }
        do throws(NetfilterNetlink.Failure) {
            let socket = try NetfilterNetlink.RequestSocket()
            defer { socket.close() }
            let set = try NetfilterNetlink.describeSet(family: change.family, table: change.table, name: change.set, on: socket)
            guard Self.acceptsPlainKeys(set, length: change.keys[0].count) else { return nil }
            let elements = change.keys.map { NetfilterNetlink.Element(key: $0) }
            try NetfilterNetlink.transaction(family: change.family, table: change.table, on: socket,
                                             steps: [change.adding ? .add(set: change.set, elements) : .delete(set: change.set, elements)])
        } catch {
            return nil
        }
        return CommandResult(status: 0, carriedOutBy: "netlink")
    }

    /// The change `arguments` ask for, when they are an element command this shortcut carries out.
    static func elementChange(_ arguments: [String]) -> ElementChange? {
        guard arguments.count >= 7, isSystemNft(arguments[0]),
              arguments[1] == "add" || arguments[1] == "delete", arguments[2] == "element",
              let family = NetfilterNetlink.familyNumbers[arguments[3]],
              isIdentifier(arguments[4]), isIdentifier(arguments[5]) else { return nil }
        // The element list may be split into words anywhere: `{ a, b }`, `{a,b}`, `{ a ,b }`.
        let list = arguments[6...].joined(separator: " ").trimmingSpaces
        guard list.first == "{", list.last == "}" else { return nil }
        let items = list.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
            .map(\.trimmingSpaces)
        var keys: [[UInt8]] = []
        for item in items {
            guard let key = NetfilterNetlink.addressBytes(item) else { return nil }
            keys.append(key)
        }
        guard let length = keys.first?.count, keys.allSatisfy({ $0.count == length }) else { return nil }
        return ElementChange(adding: arguments[1] == "add", family: family, table: arguments[4], set: arguments[5], keys: keys)
    }

    /// Where the system installs nft (Debian: `/usr/sbin`; `/sbin` links there).
    static let systemNft: Set<String> = ["/usr/sbin/nft", "/usr/bin/nft", "/sbin/nft", "/bin/nft"]

    /// Whether `program` — a name looked up in PATH as the shell would, or a path — is the
    /// system's own `nft`.
    static func isSystemNft(_ program: String) -> Bool {
        let candidates: [String]
        if program == "nft" {
            let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"   // dash's default
            candidates = path.split(separator: ":", omittingEmptySubsequences: false)
                .map { ($0.isEmpty ? "." : String($0)) + "/nft" }
        } else if program.hasPrefix("/"), program.hasSuffix("/nft") {
            candidates = [program]
        } else {
            return false
        }
        guard let found = candidates.first(where: { access($0, X_OK) == 0 }), let resolved = realpath(found, nil) else { return false }
        defer { free(resolved) }
        return systemNft.contains(String(cString: resolved))
    }

    /// A set that takes bare address keys of `length` bytes the way `nft` would add them.
    static func acceptsPlainKeys(_ set: NetfilterNetlink.SetDescription, length: Int) -> Bool {
        let refused = NetfilterNetlink.setFlagAnonymous | NetfilterNetlink.setFlagConstant | NetfilterNetlink.setFlagInterval
            | NetfilterNetlink.setFlagMap | NetfilterNetlink.setFlagObject | NetfilterNetlink.setFlagConcatenation
            | NetfilterNetlink.setFlagExpression
        guard set.flags & refused == 0, !set.hasExpressions, Int(set.keyLength) == length else { return false }
        return length == 4 ? set.keyType == NetfilterNetlink.ipv4AddressType : set.keyType == NetfilterNetlink.ipv6AddressType
    }

    /// A table or set name as `nft` reads it unquoted.
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first | 0x20) else { return false }
        return text.utf8.allSatisfy {
            ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
    }
}
