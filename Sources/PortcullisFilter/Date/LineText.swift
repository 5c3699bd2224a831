/// Character (Unicode scalar) positions in a UTF-8 line, as Python's `str` indexes count.
///
/// fail2ban remembers where the last date was, in characters, and compares the characters
/// around it on the next line; the bytes here must be mapped to the same positions.
/// All functions are O(position) and allocation-free; dates are usually near the start.
enum LineText {
    @inline(__always)
    static func characterCount(_ line: UnsafeBufferPointer<UInt8>, upTo end: Int) -> Int {
        var n = 0
        var i = 0
        while i < end {
            if line[i] & 0xC0 != 0x80 { n += 1 }
            i += 1
        }
        return n
    }

    /// Byte offset of character `index`; the line's length when beyond it.
    @inline(__always)
    static func byteOffset(_ line: UnsafeBufferPointer<UInt8>, ofCharacter index: Int) -> Int {
        if index <= 0 { return 0 }
        var chars = 0
        var i = 0
        let n = line.count
        while i < n {
            if line[i] & 0xC0 != 0x80 {
                if chars == index { return i }
                chars += 1
            }
            i += 1
        }
        return n
    }

    /// The scalar at character `index`, nil when out of the line (Python's empty slice).
    @inline(__always)
    static func character(_ line: UnsafeBufferPointer<UInt8>, atCharacter index: Int) -> UInt32? {
        if index < 0 { return nil }
        let b = byteOffset(line, ofCharacter: index)
        if b >= line.count { return nil }
        return decode(line, at: b)
    }

    static func lastCharacter(_ line: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var b = line.count - 1
        while b > 0 && line[b] & 0xC0 == 0x80 { b -= 1 }
        return b >= 0 ? decode(line, at: b) : nil
    }

    @inline(__always)
    static func decode(_ line: UnsafeBufferPointer<UInt8>, at b: Int) -> UInt32 {
        let c0 = UInt32(line[b])
        if c0 < 0x80 { return c0 }
        let n = line.count
        func cont(_ k: Int) -> UInt32 { b + k < n ? UInt32(line[b + k] & 0x3F) : 0 }
        if c0 < 0xE0 { return (c0 & 0x1F) << 6 | cont(1) }
        if c0 < 0xF0 { return (c0 & 0x0F) << 12 | cont(1) << 6 | cont(2) }
        return (c0 & 0x07) << 18 | cont(1) << 12 | cont(2) << 6 | cont(3)
    }

    /// Python's `str.isalnum()` for one character (nil: the empty string, false).
    @inline(__always)
    static func isAlnum(_ c: UInt32?) -> Bool {
        guard let c else { return false }
        if c < 0x80 {
            return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
        }
        return isAlnumNonASCII(c)
    }

    /// Out of line: Unicode properties need type metadata that the hot callers must not set up.
    @inline(never)
    private static func isAlnumNonASCII(_ c: UInt32) -> Bool {
        guard let s = Unicode.Scalar(c) else { return false }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return s.properties.numericType != nil
        }
    }
}

/// Character positions of one line with an ASCII fast path: while the bytes up to a
/// position are ASCII (nearly always, for the prefix before a date), characters are bytes
/// and nothing is counted.
struct CharacterMap {
    let line: UnsafeBufferPointer<UInt8>
    /// Bytes [0, asciiEnd) are known to be ASCII.
    private var asciiEnd = 0
    private var stopped = false

    init(_ line: UnsafeBufferPointer<UInt8>) { self.line = line }

    /// Whether bytes [0, min(n, count)) are all ASCII.
    @inline(__always)
    mutating func isASCII(upTo n: Int) -> Bool {
        let target = min(n, line.count)
        if asciiEnd >= target { return true }
        if stopped { return false }
        return extend(to: target)
    }

    private mutating func extend(to target: Int) -> Bool {
        guard let base = line.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let count = line.count
        while asciiEnd < target {
            if asciiEnd + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: asciiEnd, as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 { asciiEnd += 8; continue }
            }
            if base[asciiEnd] >= 0x80 { stopped = true; return false }
            asciiEnd += 1
        }
        return true
    }

    @inline(__always)
    mutating func byteOffset(ofCharacter index: Int) -> Int {
        if index <= 0 { return 0 }
        if isASCII(upTo: index) { return min(index, line.count) }
        return LineText.byteOffset(line, ofCharacter: index)
    }

    @inline(__always)
    mutating func character(at index: Int) -> UInt32? {
        if index < 0 { return nil }
        if isASCII(upTo: index + 1) { return index < line.count ? UInt32(line[index]) : nil }
        return LineText.character(line, atCharacter: index)
    }

    @inline(__always)
    mutating func characterCount(upTo byte: Int) -> Int {
        if isASCII(upTo: byte) { return byte }
        return LineText.characterCount(line, upTo: byte)
    }
}
