#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the run-time tags need to know about an address given as text: its family (`<family>`,
/// which also picks `opt?family=inet6` values) and its reverse-DNS name (`<ip-rev>`).
enum IPAddressText {
    /// `inet4`, `inet6`, or "" for text that is not a single address (a failure id, a host name).
    static func family(of text: String) -> String {
        if ipv4Bytes(text) != nil { return "inet4" }
        if ipv6Bytes(text) != nil { return "inet6" }
        return ""
    }

    /// fail2ban's `getPTR('')`: the reversed octets (IPv4) or nibbles (IPv6), dot-joined, with a
    /// trailing dot and no `in-addr.arpa` suffix; "" when `text` is not an address.
    static func reversePointer(of text: String) -> String {
        if let bytes = ipv4Bytes(text) {
            return bytes.reversed().map { String($0) }.joined(separator: ".") + "."
        }
        if let bytes = ipv6Bytes(text) {
            let nibbles = bytes.flatMap { [String($0 >> 4, radix: 16), String($0 & 0xF, radix: 16)] }
            return nibbles.reversed().joined(separator: ".") + "."
        }
        return ""
    }

    static func ipv4Bytes(_ text: String) -> [UInt8]? {
        var address = in_addr()
        guard !text.isEmpty, inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    static func ipv6Bytes(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        let bare = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        guard !bare.isEmpty, inet_pton(AF_INET6, bare, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}
