/// Guarantees the engine only ever sees valid UTF-8.
///
/// PCRE2 runs with `PCRE2_NO_UTF_CHECK` for speed, which makes invalid UTF-8 undefined
/// behaviour. Log lines are untrusted: a line that is not valid UTF-8 is repaired (each bad
/// sequence becomes U+FFFD, as fail2ban's `errors='replace'` decoding does) before matching.
/// ASCII lines — nearly all of them — are checked eight bytes at a time and never copied.
public enum ValidUTF8 {
    @inline(__always)
    public static func withValidated<R>(_ line: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if isASCII(line) { return body(line) }
        if String(validating: line, as: UTF8.self) != nil { return body(line) }
        var repaired = String(decoding: line, as: UTF8.self)
        return repaired.withUTF8 { body($0) }
    }

    @inline(__always)
    public static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        if count < 8 {
            var acc: UInt8 = 0
            for i in 0..<count { acc |= base[i] }
            return acc & 0x80 == 0
        }
        var i = 0
        var acc: UInt64 = 0
        while i + 32 <= count {
            acc |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
            i += 32
        }
        while i + 8 <= count {
            acc |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        // The last eight bytes (overlapping what was read) cover the tail.
        acc |= raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        return acc & 0x8080_8080_8080_8080 == 0
    }
}
