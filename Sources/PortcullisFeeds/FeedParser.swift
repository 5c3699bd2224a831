import Foundation
import PortcullisFilter

/// Turns a feed's body into a set of canonical addresses, working on bytes: a feed may be tens of
/// megabytes, and a hostile or broken server may send anything.
///
/// One entry per line: an IPv4 or IPv6 address or a CIDR network. Blank lines and comments
/// (`#`, `;`, `//`) are skipped; spaces, tabs and a CR around the entry are trimmed. Only the
/// first field counts, so `1.2.3.4 # scanner`, `1.2.3.4,scanner,2024-01-01` (CSV) and
/// `1.2.3.4<TAB>42` are all the address `1.2.3.4`; a line whose first field is not an address
/// (a CSV header, HTML from a misconfigured proxy) is invalid, counted and sampled.
public struct FeedParser: Sendable {
    /// How many invalid lines are kept as samples.
    public static let sampleLimit = 5
    /// How many bytes of an invalid line a sample keeps.
    public static let sampleLength = 80
    /// A first field longer than this cannot be an address (the longest IPv6 network is 49 bytes
    /// with brackets); it is invalid without being looked at further.
    static let maxFieldLength = 64

    let ignored: [IPAddress]
    let ignored4: [(network: UInt32, mask: UInt32, prefix: Int)]

    /// `ignoring`: `ignoreip` entries; those that are addresses or networks exclude what they
    /// contain (host names and other words are not addresses and are skipped here).
    public init(ignoring: [String] = []) {
        ignored = ignoring.compactMap(IPAddress.init)
        ignored4 = ignored.filter { $0.family == .inet4 }.map { address in
            let network = address.bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return (network, Self.mask(address.prefixLength), address.prefixLength)
        }
    }

    public func parse(_ data: Data) -> ParsedFeed {
        data.withUnsafeBytes { parse(bytes: $0) }
    }

    public func parse(bytes: UnsafeRawBufferPointer) -> ParsedFeed {
        var result = ParsedFeed()
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), !bytes.isEmpty else { return result }
        result.addresses.reserveCapacity(min(bytes.count / 16, 1 << 22))
        let end = base + bytes.count
        var lineStart = base
        while lineStart < end {
            let found = memchr(lineStart, Int32(UInt8(ascii: "\n")), end - lineStart)
            let newline = found.map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) } ?? end
            parseLine(UnsafeBufferPointer(start: lineStart, count: newline - lineStart), into: &result)
            lineStart = newline + 1
        }
        return result
    }

    private func parseLine(_ raw: UnsafeBufferPointer<UInt8>, into result: inout ParsedFeed) {
        var start = 0, end = raw.count
        while start < end, Self.isSpace(raw[start]) { start += 1 }
        while end > start, Self.isSpace(raw[end - 1]) { end -= 1 }
        guard start < end else { return }
        let first = raw[start]
        if first == UInt8(ascii: "#") || first == UInt8(ascii: ";") { return }
        if first == UInt8(ascii: "/"), start + 1 < end, raw[start + 1] == UInt8(ascii: "/") { return }
        var fieldEnd = start
        while fieldEnd < end, !Self.endsField(raw[fieldEnd]) { fieldEnd += 1 }
        let field = UnsafeBufferPointer(rebasing: raw[start..<fieldEnd])
        if field.count <= Self.maxFieldLength, let entry = canonical(field) {
            if entry.ignored { result.ignoredLines += 1 } else { result.addresses.insert(entry.text) }
            return
        }
        result.invalidLines += 1
        if result.invalidSamples.count < Self.sampleLimit {
            result.invalidSamples.append(Self.printable(UnsafeBufferPointer(rebasing: raw[start..<end])))
        }
    }

    /// The canonical text of an address field, or nil when it is not one.
    private func canonical(_ field: UnsafeBufferPointer<UInt8>) -> (text: String, ignored: Bool)? {
        if let (value, prefix) = Self.dottedQuad(field) {
            let network = value & Self.mask(prefix)
            let ignored = ignored4.contains { prefix >= $0.prefix && network & $0.mask == $0.network }
            return (Self.text(network, prefix: prefix), ignored)
        }
        // IPv6, bracketed, IPv4-mapped, odd spellings: the filter's parser decides. Only the
        // characters an address can hold reach it (no NUL cutting a C string short).
        guard field.allSatisfy(Self.isAddressByte), let address = IPAddress(String(decoding: field, as: UTF8.self)) else { return nil }
        return (address.description, ignored.contains { $0.contains(address) })
    }

    /// `a.b.c.d` or `a.b.c.d/n` in the strict form (no leading zeros) — the common case, without
    /// allocating. Anything else returns nil and goes the general way.
    static func dottedQuad(_ field: UnsafeBufferPointer<UInt8>) -> (UInt32, Int)? {
        var value: UInt32 = 0, octet: UInt32 = 0, digits = 0, dots = 0, i = 0
        while i < field.count {
            let byte = field[i]
            if byte >= 0x30 && byte <= 0x39 {
                if digits > 0 && octet == 0 { return nil }
                octet = octet * 10 + UInt32(byte - 0x30)
                digits += 1
                guard digits <= 3, octet <= 255 else { return nil }
            } else if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | octet
                octet = 0; digits = 0; dots += 1
            } else if byte == UInt8(ascii: "/") {
                break
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, dots == 3 else { return nil }
        value = value << 8 | octet
        guard i < field.count else { return (value, 32) }
        let prefixDigits = field.count - i - 1
        guard prefixDigits >= 1, prefixDigits <= 2 else { return nil }
        var prefix = 0
        for byte in field[(i + 1)...] {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            prefix = prefix * 10 + Int(byte - 0x30)
        }
        return prefix <= 32 ? (value, prefix) : nil
    }

    static func mask(_ prefix: Int) -> UInt32 { prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix) }

    /// `1.2.3.4` or `10.0.0.0/8`: at most 18 bytes, built in place.
    static func text(_ value: UInt32, prefix: Int) -> String {
        String(unsafeUninitializedCapacity: 18) { buffer in
            var n = 0
            func put(_ number: Int) {
                if number >= 100 { buffer[n] = UInt8(0x30 + number / 100); n += 1 }
                if number >= 10 { buffer[n] = UInt8(0x30 + number / 10 % 10); n += 1 }
                buffer[n] = UInt8(0x30 + number % 10); n += 1
            }
            for shift in stride(from: 24, through: 0, by: -8) {
                put(Int(value >> UInt32(shift) & 0xff))
                if shift > 0 { buffer[n] = UInt8(ascii: "."); n += 1 }
            }
            if prefix < 32 { buffer[n] = UInt8(ascii: "/"); n += 1; put(prefix) }
            return n
        }
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0d) }

    /// What ends the first field: white space, a CSV/`;` separator or a trailing comment.
    static func endsField(_ byte: UInt8) -> Bool {
        isSpace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "#")
    }

    /// Hex digits, `:`, `.`, `/`, brackets.
    static func isAddressByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x46, 0x61...0x66, UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "/"),
             UInt8(ascii: "["), UInt8(ascii: "]"): return true
        default: return false
        }
    }

    /// At most `sampleLength` bytes; printable ASCII kept, everything else as `\xNN`.
    static func printable(_ line: UnsafeBufferPointer<UInt8>) -> String {
        var text = ""
        for byte in line.prefix(sampleLength) {
            if byte >= 0x20 && byte < 0x7f && byte != UInt8(ascii: "\\") { text.unicodeScalars.append(Unicode.Scalar(byte)) }
            else { text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16) }
        }
        return line.count > sampleLength ? text + "…" : text
    }
}
