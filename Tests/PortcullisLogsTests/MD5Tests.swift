import Testing
@testable import PortcullisLogs

/// The first-line hash must equal fail2ban's `md5(first line with its newline)`, or stored
/// positions would never match after a migration.
@Suite struct MD5Tests {
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890",
         "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func rfcVectors(input: String, digest: String) {
        #expect(MD5.hex(Array(input.utf8)) == digest)
    }

    @Test func incrementalAcrossBlockBoundaries() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var hasher = MD5()
        for chunk in stride(from: 0, to: data.count, by: 37) {
            data[chunk..<min(chunk + 37, data.count)].withUnsafeBytes { hasher.update($0) }
        }
        #expect(hasher.finalizeHex() == MD5.hex(data))
        // Lengths around the 55/56/64-byte padding edges.
        #expect(MD5.hex(Array(repeating: UInt8(ascii: "a"), count: 55)) == "ef1772b6dff9a122358552954ad0df65")
        #expect(MD5.hex(Array(repeating: UInt8(ascii: "a"), count: 56)) == "3b0c8ac703f828b04c6c197006d17218")
        #expect(MD5.hex(Array(repeating: UInt8(ascii: "a"), count: 64)) == "014842d480b571495a4a0363793f7367")
    }
}
