import Foundation
import PortcullisActions
@testable import PortcullisFirewall
import PortcullisTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The netlink shortcut for `nft add|delete element`: which commands it takes, and that in a
/// namespace the test made it changes the kernel set exactly as `nft` does — and leaves every
/// other case to the shell.
@Suite(.serialized)
struct NftablesElementShortcutTests {
    static let stockBan = #"nft add element inet f2b-table addr-set-sshd \{ 192.0.2.7 \}"#

    static func arguments(_ text: String) -> [String] { SimpleCommand(text)?.arguments ?? [] }

    @Test func takesTheStockActionsElementCommands() throws {
        let ban = try #require(NftablesElementShortcut.elementChange(Self.arguments(Self.stockBan)))
        #expect(ban == .init(adding: true, family: 1, table: "f2b-table", set: "addr-set-sshd", keys: [[192, 0, 2, 7]]))
        let unban = try #require(NftablesElementShortcut.elementChange(Self.arguments(
            #"/usr/sbin/nft delete element ip6 t s \{ 2001:db8::1,2001:db8::2 \}"#)))
        #expect(!unban.adding && unban.family == 10 && unban.keys.count == 2 && unban.keys[0].count == 16)
        #expect(NftablesElementShortcut.elementChange(Self.arguments("nft add element ip t s {192.0.2.1 ,192.0.2.2}"))?.keys.count == 2)
    }

    @Test(arguments: [
        "nft -c add element inet t s { 192.0.2.1 }",                 // an option
        "nft add element t s { 192.0.2.1 }",                         // no family: nft's default
        "nft add element inet t s { 192.0.2.0/24 }",                 // a prefix
        "nft add element inet t s { 192.0.2.1-192.0.2.9 }",          // a range
        "nft add element inet t s { 192.0.2.1 timeout 10m }",        // an element option
        "nft add element inet t s { example.org }",                  // a name nft would resolve
        "nft add element inet t s { 192.0.2.1, 2001:db8::1 }",       // mixed families
        "nft add element inet t s { 192.0.2.1, }",                   // an empty element
        "nft add element inet t s 192.0.2.1",                        // no braces
        "nft add element inet t s { 01.2.3.4 }",                     // not inet_pton's form
        "nft add rule inet t c drop",                                // not an element command
        "nft create element inet t s { 192.0.2.1 }",                 // create fails on duplicates
        "mynft add element inet t s { 192.0.2.1 }",                  // another program
        "nft add element inet t 's x' { 192.0.2.1 }",                // not an identifier
    ])
    func leavesEverythingElseToTheShell(_ command: String) {
        #expect(NftablesElementShortcut.elementChange(Self.arguments(command)) == nil, "\(command)")
    }

    /// An administrator's wrapper named `nft` (logging, auditing) keeps running.
    @Test func aWrapperNamedNftIsNotBypassed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write("nft", "#!/bin/sh\nexec /usr/sbin/nft \"$@\"\n")
        #expect(chmod(directory.path + "/nft", 0o755) == 0)
        #expect(NftablesElementShortcut.elementChange(Self.arguments(
            "\(directory.path)/nft add element inet t s \\{ 192.0.2.1 \\}")) == nil)
        #expect(NftablesElementShortcut.isSystemNft("nft"))
        #expect(NftablesElementShortcut.isSystemNft("/sbin/nft"))
        #expect(!NftablesElementShortcut.isSystemNft(directory.path + "/nft"))
    }

    /// Runs `body` on a thread that entered the namespace (`setns` affects that thread only).
    static func inNamespace<T: Sendable>(_ name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                typealias Setns = @convention(c) (Int32, Int32) -> Int32
                let setns = unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setns"), to: Setns.self)
                let fd = open("/var/run/netns/\(name)", O_RDONLY | O_CLOEXEC)
                precondition(fd >= 0 && setns(fd, 0x4000_0000) == 0, "entering \(name)")
                close(fd)
                continuation.resume(returning: body())
            }
            thread.start()
        }
    }

    static func elements(_ pair: NamespacePair, set: String = "addr-set-sshd") throws -> String {
        try pair.inHost(["nft", "list", "set", "inet", "f2b-table", set]).stdout
    }

    @Test func changesTheKernelSetAsNftWould() async throws {
        let pair = try NamespacePair(index: 48)
        defer { pair.remove() }
        try pair.inHost(["nft", "add", "table", "inet", "f2b-table"])
        try pair.inHost(["nft", "add", "set", "inet", "f2b-table", "addr-set-sshd", "{ type ipv4_addr; }"])
        var shellRunner = CommandRunner()
        shellRunner.shortcut = NftablesElementShortcut()
        let runner = shellRunner
        let shortcut = NftablesElementShortcut()
        let stockBan = Self.stockBan

        let added = await Self.inNamespace(pair.host) { shortcut.run(SimpleCommand(stockBan)!) }
        #expect(added?.status == 0)
        #expect(try Self.elements(pair).contains("192.0.2.7"))
        // Adding again succeeds, as `nft add element` does; nothing is duplicated.
        #expect(await Self.inNamespace(pair.host) { shortcut.run(SimpleCommand(stockBan)!) }?.status == 0)
        // Several at once, in one transaction.
        let many = #"nft add element inet f2b-table addr-set-sshd \{ 192.0.2.8, 192.0.2.9 \}"#
        #expect(await Self.inNamespace(pair.host) { shortcut.run(SimpleCommand(many)!) }?.status == 0)
        #expect(try ["192.0.2.7", "192.0.2.8", "192.0.2.9"].allSatisfy(Self.elements(pair).contains))

        let unban = #"nft delete element inet f2b-table addr-set-sshd \{ 192.0.2.7 \}"#
        #expect(await Self.inNamespace(pair.host) { shortcut.run(SimpleCommand(unban)!) }?.status == 0)
        #expect(try !Self.elements(pair).contains("192.0.2.7"))

        // The element is gone: the kernel refuses, the shortcut declines, and `nft` itself runs
        // through the shell, so the failure logged is nft's own.
        #expect(await Self.inNamespace(pair.host) { shortcut.run(SimpleCommand(unban)!) } == nil)
        let viaShell = await Self.inNamespace(pair.host) { runner.runBlocking(unban, timeout: 10) }
        #expect(viaShell.status != 0)
        #expect(viaShell.stderr.contains("No such file or directory"), "\(viaShell.stderr)")

        // A missing table: declined, nothing created.
        let missing = #"nft add element inet no-such-table addr-set-sshd \{ 192.0.2.7 \}"#
        #expect(await Self.inNamespace(pair.host) { shortcut.run(SimpleCommand(missing)!) } == nil)
        #expect(try pair.inHost(["nft", "list", "tables"]).stdout.contains("no-such-table") == false)
    }

    @Test func aDefaultTimeoutStillApplies() async throws {
        let pair = try NamespacePair(index: 48)
        defer { pair.remove() }
        try pair.inHost(["nft", "add", "table", "inet", "f2b-table"])
        try pair.inHost(["nft", "add", "set", "inet", "f2b-table", "timed", "{ type ipv4_addr; flags timeout; timeout 1h; }"])
        let command = #"nft add element inet f2b-table timed \{ 198.51.100.4 \}"#
        #expect(await Self.inNamespace(pair.host) { NftablesElementShortcut().run(SimpleCommand(command)!) }?.status == 0)
        let listing = try Self.elements(pair, set: "timed")
        #expect(listing.contains("198.51.100.4") && listing.contains("expires"), "\(listing)")
    }

    /// Sets whose elements `nft` builds differently are left to `nft`: intervals (start and end
    /// elements), per-element statements, another key type.
    @Test(arguments: [
        ("ranges", "{ type ipv4_addr; flags interval; }", "192.0.2.7"),
        ("counted", "{ type ipv4_addr; counter; }", "192.0.2.7"),
        ("v6", "{ type ipv6_addr; }", "192.0.2.7"),
        ("marks", "{ type mark; }", "192.0.2.7"),
        ("pairs", "{ type ipv4_addr . inet_service; }", "192.0.2.7"),
    ])
    func unusualSetsAreLeftToNft(_ name: String, _ declaration: String, _ address: String) async throws {
        let pair = try NamespacePair(index: 48)
        defer { pair.remove() }
        try pair.inHost(["nft", "add", "table", "inet", "f2b-table"])
        try pair.inHost(["nft", "add", "set", "inet", "f2b-table", name, declaration])
        let command = "nft add element inet f2b-table \(name) \\{ \(address) \\}"
        #expect(await Self.inNamespace(pair.host) { NftablesElementShortcut().run(SimpleCommand(command)!) } == nil)
        #expect(try !Self.elements(pair, set: name).contains(address))
    }
}
