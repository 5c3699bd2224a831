@testable import PortcullisFirewall
import Testing

struct ScopeAndNamingTests {
    @Test func portsAreResolvedAsFail2banWritesThem() throws {
        #expect(try ResolvedScope(BlockScope(ports: "ssh")).ports == [PortRange(low: 22, high: 22)])
        #expect(try ResolvedScope(BlockScope(ports: "http, https,1000:2000")).ports
            == [PortRange(low: 80, high: 80), PortRange(low: 443, high: 443), PortRange(low: 1000, high: 2000)])
        for all in ["", "all", "0:65535", "1:65535"] { #expect(try ResolvedScope(BlockScope(ports: all)).ports == nil) }
        #expect(try ResolvedScope(BlockScope(ports: "22", protocol: "all")).protocols.isEmpty)
        #expect(throws: FirewallError.self) { try ResolvedScope(BlockScope(ports: "no-such-service")) }
        #expect(throws: FirewallError.self) { try ResolvedScope(BlockScope(protocol: "icmp; drop")) }
        #expect(try ResolvedScope(BlockScope(blockType: "REJECT --reject-with tcp-reset")).verdict == .tcpReset)
    }

    @Test func kernelNamesAreShortSafeAndDistinct() {
        let a = KernelNames.ipset("my.jail-with-a-very-long-name", prefix: "portcullis")
        let b = KernelNames.ipset("my_jail-with-a-very-long-name", prefix: "portcullis")
        #expect(a.chain != b.chain)
        #expect(a.chain.utf8.count <= 28 && a.ban6.utf8.count <= 31)
        #expect(KernelNames.nftables("a b;c}").chain.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
        #expect(KernelNames.nftables("sshd") == KernelNames.nftables("sshd"))
    }

    @Test func listingsParse() {
        let listing = NftablesListing("""
            table inet portcullis {
            \tset pc-x-b4 {
            \t\ttype ipv4_addr
            \t\tflags interval,timeout
            \t\telements = { 10.0.0.1 timeout 1m40s expires 1m26s564ms, 10.1.0.0/16,
            \t\t\t     10.2.0.1 }
            \t}
            \tchain input {
            \t\ttype filter hook input priority filter - 1; policy accept;
            \t\ttcp dport 22 jump pc-x
            \t}
            }
            """)
        #expect(listing.sets["pc-x-b4"] == ["10.0.0.1", "10.1.0.0/16", "10.2.0.1"])
        #expect(listing.chains["input"]?.rules == ["tcp dport 22 jump pc-x"])
    }
}
