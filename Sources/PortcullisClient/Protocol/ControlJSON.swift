/// The JSON dialect of the control protocol, written by hand so it keeps what generic coders
/// lose: dict order, and `1` (int) apart from `1.0` (float).
///
/// - Integers have no fraction or exponent; floats always have one (`600.0`, `1e+16`).
///   Non-finite floats are written `Infinity`, `-Infinity` and `NaN`, as Python's `json` does.
/// - Objects keep their key order; duplicate keys are kept as written.
/// - Strings are UTF-8; control characters, `"` and `\` are escaped. Input must be valid
///   UTF-8 and nest at most `maximumDepth` deep.
enum ControlJSON {
    static let maximumDepth = 64

    // MARK: Writing

    static func encode(_ value: ControlValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, to: &out)
        return out
    }

    static func write(_ value: ControlValue, to out: inout [UInt8]) {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .int(let number): out += Array(String(number).utf8)
        case .double(let number): out += Array(floatText(number).utf8)
        case .string(let text): writeString(text, to: &out)
        case .list(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dict(let entries):
            out.append(UInt8(ascii: "{"))
            for (index, (key, item)) in entries.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(item, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func floatText(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        return PythonText.float(number)
    }

    static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    // MARK: Reading

    /// Parses one JSON value filling all of `bytes` (surrounding whitespace allowed).
    static func decode(_ bytes: [UInt8]) throws(ControlFrameError) -> ControlValue {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.offset == bytes.count else { throw parser.failure("unexpected data after the value") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var offset = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func failure(_ reason: String) -> ControlFrameError {
            .malformedJSON(reason: reason, offset: offset)
        }

        mutating func skipWhitespace() {
            while offset < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[offset]) { offset += 1 }
        }

        mutating func parseValue(depth: Int) throws(ControlFrameError) -> ControlValue {
            guard depth < ControlJSON.maximumDepth else { throw failure("nested deeper than \(ControlJSON.maximumDepth)") }
            guard offset < bytes.count else { throw failure("unexpected end of data") }
            switch bytes[offset] {
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "N"): return try literal("NaN", .double(.nan))
            case UInt8(ascii: "I"): return try literal("Infinity", .double(.infinity))
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "["): return try parseList(depth: depth)
            case UInt8(ascii: "{"): return try parseDict(depth: depth)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            default: throw failure("unexpected character")
            }
        }

        mutating func literal(_ word: String, _ value: ControlValue) throws(ControlFrameError) -> ControlValue {
            let expected = Array(word.utf8)
            guard bytes.count - offset >= expected.count,
                  Array(bytes[offset..<offset + expected.count]) == expected
            else { throw failure("unknown literal") }
            offset += expected.count
            return value
        }

        mutating func parseList(depth: Int) throws(ControlFrameError) -> ControlValue {
            offset += 1
            var items: [ControlValue] = []
            skipWhitespace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                offset += 1
                return .list(items)
            }
            while true {
                skipWhitespace()
                items.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                guard offset < bytes.count else { throw failure("unterminated list") }
                let byte = bytes[offset]
                offset += 1
                if byte == UInt8(ascii: "]") { return .list(items) }
                guard byte == UInt8(ascii: ",") else {
                    offset -= 1
                    throw failure("expected ',' or ']'")
                }
            }
        }

        mutating func parseDict(depth: Int) throws(ControlFrameError) -> ControlValue {
            offset += 1
            var entries: [(String, ControlValue)] = []
            skipWhitespace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
                offset += 1
                return .dict(entries)
            }
            while true {
                skipWhitespace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw failure("expected a key") }
                let key = try parseString()
                skipWhitespace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                offset += 1
                skipWhitespace()
                entries.append((key, try parseValue(depth: depth + 1)))
                skipWhitespace()
                guard offset < bytes.count else { throw failure("unterminated object") }
                let byte = bytes[offset]
                offset += 1
                if byte == UInt8(ascii: "}") { return .dict(entries) }
                guard byte == UInt8(ascii: ",") else {
                    offset -= 1
                    throw failure("expected ',' or '}'")
                }
            }
        }

        mutating func parseNumber() throws(ControlFrameError) -> ControlValue {
            let start = offset
            if bytes[offset] == UInt8(ascii: "-") {
                offset += 1
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "I") {
                    _ = try literal("Infinity", .null)
                    return .double(-.infinity)
                }
            }
            var isFloat = false
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "0") {
                offset += 1
                if skipDigits() > 0 { throw failure("leading zeros are not allowed") }
            } else {
                guard skipDigits() > 0 else { throw failure("expected digits") }
            }
            if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
                isFloat = true
                offset += 1
                guard skipDigits() > 0 else { throw failure("expected digits after '.'") }
            }
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
                isFloat = true
                offset += 1
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                    offset += 1
                }
                guard skipDigits() > 0 else { throw failure("expected exponent digits") }
            }
            let text = String(decoding: bytes[start..<offset], as: UTF8.self)
            if !isFloat, let number = Int(text) { return .int(number) }
            guard let number = Double(text) else { throw failure("unreadable number") }
            return .double(number)
        }

        mutating func skipDigits() -> Int {
            let start = offset
            while offset < bytes.count, bytes[offset] >= UInt8(ascii: "0"), bytes[offset] <= UInt8(ascii: "9") {
                offset += 1
            }
            return offset - start
        }

        mutating func parseString() throws(ControlFrameError) -> String {
            offset += 1
            var scalars = String.UnicodeScalarView()
            while true {
                guard offset < bytes.count else { throw failure("unterminated string") }
                let byte = bytes[offset]
                switch byte {
                case UInt8(ascii: "\""):
                    offset += 1
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    offset += 1
                    scalars.append(try parseEscape())
                case 0..<0x20:
                    throw failure("control character in string")
                case 0..<0x80:
                    scalars.append(Unicode.Scalar(byte))
                    offset += 1
                default:
                    scalars.append(try parseUTF8Scalar())
                }
            }
        }

        mutating func parseEscape() throws(ControlFrameError) -> Unicode.Scalar {
            guard offset < bytes.count else { throw failure("unterminated escape") }
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                let unit = try parseHex4()
                if (0xD800..<0xDC00).contains(unit) {
                    guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                          bytes[offset + 1] == UInt8(ascii: "u")
                    else { throw failure("lone UTF-16 surrogate") }
                    offset += 2
                    let low = try parseHex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw failure("lone UTF-16 surrogate") }
                    let value = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    guard let scalar = Unicode.Scalar(value) else { throw failure("invalid code point") }
                    return scalar
                }
                guard let scalar = Unicode.Scalar(unit) else { throw failure("lone UTF-16 surrogate") }
                return scalar
            default:
                offset -= 1
                throw failure("unknown escape")
            }
        }

        mutating func parseHex4() throws(ControlFrameError) -> UInt32 {
            guard bytes.count - offset >= 4 else { throw failure("short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[offset]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw failure("bad hex digit in \\u escape")
                }
                value = value << 4 | UInt32(digit)
                offset += 1
            }
            return value
        }

        /// One multi-byte UTF-8 sequence, strictly validated.
        mutating func parseUTF8Scalar() throws(ControlFrameError) -> Unicode.Scalar {
            var iterator = bytes[offset...].makeIterator()
            var decoder = UTF8()
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                return scalar
            case .emptyInput, .error:
                throw failure("invalid UTF-8")
            }
        }
    }
}
