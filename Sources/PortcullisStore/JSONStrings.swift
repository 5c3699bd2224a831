#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small JSON codec for the two shapes the store writes, a list of strings (matches) and a flat
/// string-to-string object (fields). Foundation's coders cost several microseconds a row, which a
/// 100,000-ban restore would feel; here the common case (nothing to escape) is a C string scan and
/// a copy. Columns stay plain JSON, so `sqlite3` and SQLite's JSON functions read them too.
enum JSONStrings {
    static func encode(_ strings: [String]) -> String {
        if strings.isEmpty { return "[]" }
        var out = "["
        for index in strings.indices {
            if index > 0 { out += "," }
            appendQuoted(strings[index], to: &out)
        }
        out += "]"
        return out
    }

    /// Keys sorted, so equal objects are equal text.
    static func encode(_ fields: [String: String]) -> String {
        var out = "{"
        for (index, key) in fields.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            appendQuoted(key, to: &out)
            out += ":"
            appendQuoted(fields[key]!, to: &out)
        }
        out += "}"
        return out
    }

    /// The strings of a JSON array of strings; nil if `text` is anything else.
    static func decodeArray(_ text: String) -> [String]? {
        var text = text
        return text.withUTF8 { decodeArray($0) }
    }

    static func decodeArray(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        if let strings = fastArray(bytes) { return strings }
        var parser = Parser(bytes: bytes)
        return parser.stringArray()
    }

    /// The members of a flat JSON object of strings; nil if `text` is anything else.
    static func decodeObject(_ text: String) -> [String: String]? {
        var text = text
        return text.withUTF8 { decodeObject($0) }
    }

    static func decodeObject(_ bytes: UnsafeBufferPointer<UInt8>) -> [String: String]? {
        var parser = Parser(bytes: bytes)
        return parser.stringObject()
    }

    /// A `matches` column: [] if it is not a list of strings (the store writes nothing else).
    static func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        decodeArray(bytes) ?? []
    }

    /// A `fields` column: nil if it is not a flat object of strings.
    static func fields(_ bytes: UnsafeBufferPointer<UInt8>) -> [String: String]? {
        decodeObject(bytes)
    }

    // MARK: Encoding

    /// `"`, `\` and the control characters: what JSON escapes. NUL-terminated for `strcspn`.
    private static let escaped: [CChar] = [0x22, 0x5C] + (1..<0x20).map { CChar($0) } + [0]

    private static func appendQuoted(_ string: String, to out: inout String) {
        // `strcspn` stops at the first byte to escape; an embedded NUL also stops it early.
        let plain = string.withCString { text in
            escaped.withUnsafeBufferPointer { strcspn(text, $0.baseAddress!) }
        } == string.utf8.count
        out += "\""
        if plain {
            out += string
        } else {
            out += escape(string)
        }
        out += "\""
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private static func escape(_ string: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(string.utf8.count + 16)
        for byte in string.utf8 {
            switch byte {
            case 0x22, 0x5C: out += [0x5C, byte]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20: out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Decoding

    /// The store's own compact form without escapes: `["…","…"]` holding no backslash, so every `"`
    /// delimits. Anything else (spaces, escapes) is left to the full parser.
    private static func fastArray(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        if count == 2, base[0] == UInt8(ascii: "["), base[1] == UInt8(ascii: "]") { return [] }
        guard count >= 4, base[0] == UInt8(ascii: "["), base[1] == UInt8(ascii: "\""),
              base[count - 1] == UInt8(ascii: "]"), base[count - 2] == UInt8(ascii: "\""),
              memchr(base, 0x5C, count) == nil else { return nil }
        var strings: [String] = []
        var start = 2
        while true {
            guard let quote = memchr(base + start, 0x22, count - start) else { return nil }
            let end = base.distance(to: quote.assumingMemoryBound(to: UInt8.self))
            strings.append(String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self))
            if end == count - 2 { return strings }
            guard end + 3 <= count - 2, base[end + 1] == UInt8(ascii: ","), base[end + 2] == UInt8(ascii: "\"") else {
                return nil
            }
            start = end + 3
        }
    }

    /// Standard JSON, for text the fast path declines.
    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func stringArray() -> [String]? {
            skipSpace()
            guard take(UInt8(ascii: "[")) else { return nil }
            var result: [String] = []
            skipSpace()
            if take(UInt8(ascii: "]")) { return atEnd() ? result : nil }
            while true {
                skipSpace()
                guard let string = string() else { return nil }
                result.append(string)
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "]")) else { return nil }
                return atEnd() ? result : nil
            }
        }

        mutating func stringObject() -> [String: String]? {
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return nil }
            var result: [String: String] = [:]
            skipSpace()
            if take(UInt8(ascii: "}")) { return atEnd() ? result : nil }
            while true {
                skipSpace()
                guard let key = string() else { return nil }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipSpace()
                guard let value = string() else { return nil }
                result[key] = value
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "}")) else { return nil }
                return atEnd() ? result : nil
            }
        }

        private mutating func atEnd() -> Bool {
            skipSpace()
            return index == bytes.count
        }

        private mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        private mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            var out: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        guard let scalar = unicodeEscape() else { return nil }
                        out.append(contentsOf: String(Character(scalar)).utf8)
                    default: return nil
                    }
                case 0..<0x20:
                    return nil
                default:
                    out.append(byte)
                }
            }
            return nil
        }

        /// After `\u`: four hex digits, joined with a following low surrogate when a high one; a lone
        /// surrogate becomes U+FFFD, as decoders commonly do.
        private mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let unit = hex4() else { return nil }
            if (0xD800..<0xDC00).contains(unit) {
                let save = index
                if take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(), (0xDC00..<0xE000).contains(low) {
                    return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                }
                index = save
                return "\u{FFFD}"
            }
            return Unicode.Scalar(unit) ?? "\u{FFFD}"
        }

        private mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                index += 1
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
    }
}
