#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered byte output to a file descriptor. Lines are assembled directly as bytes —
/// no `String` interpolation or Foundation formatting per line — and written in
/// ~1 MiB chunks.
struct ByteSink {
    struct WriteError: Error, CustomStringConvertible {
        let errno: Int32
        var description: String { "write failed: \(String(cString: strerror(errno)))" }
    }

    private let fd: Int32
    private(set) var buffer: [UInt8] = []
    private let flushThreshold = 1 << 20
    /// Bytes handed to the file descriptor so far.
    private(set) var written = 0

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(flushThreshold + 128 * 1024)
    }

    @inline(__always) mutating func put(_ s: StaticString) {
        s.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    @inline(__always) mutating func put(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    @inline(__always) mutating func byte(_ b: UInt8) {
        buffer.append(b)
    }

    /// Non-negative decimal.
    mutating func decimal(_ value: Int) {
        var v = value
        if v < 10 { buffer.append(0x30 &+ UInt8(truncatingIfNeeded: v)); return }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { raw in
            while v > 0 { raw[n] = 0x30 &+ UInt8(truncatingIfNeeded: v % 10); v /= 10; n += 1 }
            while n > 0 { n -= 1; buffer.append(raw[n]) }
        }
    }

    /// Two digits, zero padded (00-99).
    @inline(__always) mutating func twoDigits(_ value: Int) {
        buffer.append(0x30 &+ UInt8(truncatingIfNeeded: value / 10))
        buffer.append(0x30 &+ UInt8(truncatingIfNeeded: value % 10))
    }

    /// Lower-case hexadecimal without leading zeros (an IPv6 group).
    mutating func hex(_ value: UInt16) {
        let digits: StaticString = "0123456789abcdef"
        var started = false
        var shift = 12
        while shift >= 0 {
            let d = Int((value >> UInt16(shift)) & 0xF)
            if d != 0 || started || shift == 0 {
                started = true
                buffer.append(digits.utf8Start[d])
            }
            shift -= 4
        }
    }

    /// Ends the current line; flushes when the buffer is full.
    @inline(__always) mutating func endLine() throws {
        buffer.append(0x0A)
        if buffer.count >= flushThreshold { try flush() }
    }

    mutating func flush() throws {
        var offset = 0
        let total = buffer.count
        try buffer.withUnsafeBytes { raw in
            while offset < total {
                let n = write(fd, raw.baseAddress! + offset, total - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw WriteError(errno: errno)
                }
                offset += n
            }
        }
        written += total
        buffer.removeAll(keepingCapacity: true)
    }
}
