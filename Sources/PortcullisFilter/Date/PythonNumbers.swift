#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Python's `int(text)` and `float(text)` over raw UTF-8 bytes, without allocating in the
/// common (ASCII) case.
///
/// fail2ban converts every captured field with `int()`/`float()`. Its regexes use `\d`,
/// which in Python 3 (and in PCRE2 with UCP) also matches non-ASCII decimal digits such as
/// `٣`, and Python converts those too; custom groups may capture anything, and then Python
/// raises `ValueError`. These functions return nil exactly where Python raises.
enum PythonNumbers {
    /// `int(text)` for base-10 text: surrounding whitespace, an optional sign, digits with
    /// single underscores between them. Values beyond ±2^62 are treated as invalid (no date
    /// field can be that large and still convert).
    @inline(__always)
    static func int(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        // Fast path: 1…9 plain ASCII digits.
        let n = range.count
        if n > 0 && n <= 9 {
            var value = 0
            var i = range.lowerBound
            while i < range.upperBound {
                let d = line[i] &- 48
                if d > 9 { return slowInt(line, range) }
                value = value &* 10 &+ Int(d)
                i += 1
            }
            return value
        }
        return slowInt(line, range)
    }

    private static func slowInt(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard let ascii = asciiDigits(line, range) else { return nil }
        var s = ascii[...]
        while let f = s.first, isPyWhitespace(f) { s = s.dropFirst() }
        while let l = s.last, isPyWhitespace(l) { s = s.dropLast() }
        var negative = false
        if let f = s.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
            negative = f == UInt8(ascii: "-"); s = s.dropFirst()
        }
        guard !s.isEmpty else { return nil }
        var value = 0
        var previousUnderscore = true // no leading underscore
        for c in s {
            if c == UInt8(ascii: "_") {
                if previousUnderscore { return nil }
                previousUnderscore = true
                continue
            }
            guard c >= 48 && c <= 57 else { return nil }
            previousUnderscore = false
            if value > (1 << 58) { return nil }
            value = value * 10 + Int(c - 48)
        }
        if previousUnderscore { return nil }
        return negative ? -value : value
    }

    /// `float(text)` for the digit/dot texts epoch templates capture (correctly rounded, as
    /// Python's). Returns nil where Python raises.
    static func float(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        // Fast path: ASCII digits with at most one dot, small enough that one IEEE division
        // of two exactly representable doubles gives the correctly rounded result.
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = -1
        var ok = range.count > 0 && range.count <= 24
        var i = range.lowerBound
        while ok && i < range.upperBound {
            let c = line[i]
            if c == UInt8(ascii: ".") && fractionDigits < 0 {
                fractionDigits = 0
            } else if c >= 48 && c <= 57 {
                mantissa = mantissa &* 10 &+ UInt64(c - 48)
                digits += 1
                if fractionDigits >= 0 { fractionDigits += 1 }
            } else {
                ok = false
            }
            i += 1
        }
        if ok && digits > 0 && digits <= 15 {
            let frac = max(fractionDigits, 0)
            if frac == 0 { return Double(mantissa) }
            return Double(mantissa) / powersOfTen[frac]
        }
        return slowFloat(line, range)
    }

    private static let powersOfTen: [Double] = (0...22).map { e in
        var p = 1.0
        for _ in 0..<e { p *= 10 }
        return p
    }

    private static func slowFloat(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        guard var ascii = asciiDigits(line, range) else { return nil }
        while let f = ascii.first, isPyWhitespace(f) { ascii.removeFirst() }
        while let l = ascii.last, isPyWhitespace(l) { ascii.removeLast() }
        // Only the shapes fail2ban's epoch regexes can capture: digits, one dot, digits.
        guard !ascii.isEmpty, ascii.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") }),
              ascii.filter({ $0 == UInt8(ascii: ".") }).count <= 1,
              ascii.contains(where: { $0 >= 48 && $0 <= 57 }) else { return nil }
        ascii.append(0)
        return ascii.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { strtod($0, nil) }
        }
    }

    /// `int(text, 16)` for TAI64N's hex digits (ASCII only: the regex is `[0-9a-f]`).
    static func hex(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var value = 0
        for i in range {
            let c = line[i]
            let d: Int
            switch c {
            case 48...57: d = Int(c - 48)
            case 97...102: d = Int(c - 87)
            case 65...70: d = Int(c - 55)
            default: return nil
            }
            value = value << 4 | d
        }
        return range.isEmpty ? nil : value
    }

    /// The captured text with non-ASCII decimal digits replaced by their ASCII digit (as
    /// Python's `int`/`float` read them) and Unicode whitespace by a space; nil when some
    /// other non-ASCII character is present (Python would raise).
    static func asciiDigits(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var it = UnsafeBufferPointer(rebasing: line[range]).makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s):
                if s.isASCII { out.append(UInt8(s.value)); continue }
                if s.properties.numericType == .decimal, let v = s.properties.numericValue {
                    out.append(UInt8(48 + Int(v)))
                } else if s.properties.isWhitespace {
                    out.append(32)
                } else {
                    return nil
                }
            case .emptyInput: return out
            case .error: return nil
            }
        }
    }

    @inline(__always)
    static func isPyWhitespace(_ c: UInt8) -> Bool {
        c == 32 || (c >= 9 && c <= 13) || (c >= 28 && c <= 31)
    }
}
