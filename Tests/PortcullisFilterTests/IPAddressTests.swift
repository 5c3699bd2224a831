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

    /// The inline two-word storage: masks on both sides of the 64-bit boundary, the bytes in
    /// network order, and the dotted-quad fast path refusing what `inet_pton` refuses.
    @Test func prefixesAcrossTheWordBoundary() {
        let full = "2001:db8:1234:5678:9abc:def0:1234:5678"
        #expect(IPAddress("\(full)/0")?.description == "::/0")
        #expect(IPAddress("\(full)/1")?.description == "::/1")
        #expect(IPAddress("\(full)/63")?.description == "2001:db8:1234:5678::/63")
        #expect(IPAddress("\(full)/64")?.description == "2001:db8:1234:5678::/64")
        #expect(IPAddress("\(full)/65")?.description == "2001:db8:1234:5678:8000::/65")
        #expect(IPAddress("\(full)/127")?.description == "\(full.dropLast())8/127")
        #expect(IPAddress("\(full)/128")?.description == full)
        #expect(IPAddress("\(full)/129") == nil)
        #expect(IPAddress("192.0.2.255/25")?.description == "192.0.2.128/25")
        #expect(IPAddress("192.0.2.255/0")?.description == "0.0.0.0/0")
        #expect(IPAddress("192.0.2.1/33") == nil)
        #expect(IPAddress("192.0.2.1")?.bytes == [192, 0, 2, 1])
        #expect(IPAddress("2001:db8::ff01")?.bytes == [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0x01])
        #expect(IPAddress(family: .inet6, bytes: IPAddress("2001:db8::1")!.bytes, prefixLength: 128) == IPAddress("2001:db8::1"))
        for refused in ["01.2.3.4", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.256", ".1.2.3", "1.2.3.", "1.2.3.4 ", "１.2.3.4"] {
            #expect(IPAddress(refused) == nil, "\(refused)")
        }
        #expect(IPAddress("0.0.0.0")?.description == "0.0.0.0")
        #expect(IPAddress("::ffff:10.0.0.1") == IPAddress("10.0.0.1"))
        #expect(LineFilter.canonicalAddress("10.0.0.1", prefixLength: nil) == "10.0.0.1")
        #expect(LineFilter.canonicalAddress("::FFFF:10.0.0.1", prefixLength: nil) == "10.0.0.1")
    }
}
