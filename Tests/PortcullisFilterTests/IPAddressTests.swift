import Testing
@testable import PortcullisFilter

@Suite struct IPAddressTests {
    @Test func canonicalForms() {
        #expect(IPAddress("192.0.2.1")?.description == "192.0.2.1")
        #expect(IPAddress("::ffff:192.0.2.1")?.description == "192.0.2.1")
        #expect(IPAddress("[2001:DB8:0:0::1]")?.description == "2001:db8::1")
        #expect(IPAddress("192.0.2.77/24")?.description == "192.0.2.0/24")
        #expect(IPAddress("2001:db8::1/64")?.description == "2001:db8::/64")
        #expect(IPAddress("999.1.1.1") == nil)
        #expect(IPAddress("example.com") == nil)
    }

    @Test func networksContainHosts() {
        let net = IPAddress("10.0.0.0/8")!
        #expect(net.contains(IPAddress("10.200.1.1")!))
        #expect(!net.contains(IPAddress("11.0.0.1")!))
        #expect(!net.contains(IPAddress("2001:db8::1")!))
    }
}
