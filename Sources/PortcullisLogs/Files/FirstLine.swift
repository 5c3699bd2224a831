#if canImport(Glibc)
import Glibc
#endif

/// A file's first complete line, newline included: fail2ban's `firstlinemd5` identifies a log
/// file by it, and we compare its bytes to notice a file rewritten in place (copytruncate
/// followed by enough new writes to pass our old offset before we looked).
struct FirstLine: Equatable {
    /// md5 hex of the line including its "\n".
    var hash: String
    /// Length including the "\n".
    var length: UInt64
    /// The bytes, kept when short enough to compare cheaply (nil for a giant first line).
    var bytes: [UInt8]?

    static let comparableLimit = 64 * 1024

    /// Reads the first line of `fd`; nil when there is no complete first line yet.
    static func read(_ fd: Int32) -> Result<FirstLine?, Errno> {
        var hasher = MD5()
        var kept = [UInt8]()
        var offset: UInt64 = 0
        var chunk = 4096
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let window = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<chunk])
            let n: Int
            switch IO.pread(fd, window, at: offset) {
            case .failure(let e): return .failure(e)
            case .success(let count): n = count
            }
            if n == 0 { return .success(nil) }
            let got = UnsafeBufferPointer(start: window.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n)
            let end = LineScanner.firstNewline(got).map { $0 + 1 } ?? n
            let part = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(got)[0..<end])
            hasher.update(part)
            if offset + UInt64(end) <= UInt64(comparableLimit) { kept.append(contentsOf: part) }
            offset += UInt64(end)
            if end < n || got[end - 1] == 0x0a {
                let length = offset
                return .success(FirstLine(hash: hasher.finalizeHex(), length: length,
                                          bytes: length <= UInt64(comparableLimit) ? kept : nil))
            }
            chunk = 64 * 1024
        }
    }

    /// The first line from bytes already read, `line` ending with its "\n".
    static func of(_ line: UnsafeBufferPointer<UInt8>) -> FirstLine {
        var hasher = MD5()
        hasher.update(UnsafeRawBufferPointer(line))
        return FirstLine(hash: hasher.finalizeHex(), length: UInt64(line.count),
                         bytes: line.count <= comparableLimit ? Array(line) : nil)
    }

    /// Whether `fd`'s file still begins with this line (only when the bytes were kept; a giant
    /// first line is assumed unchanged).
    func stillFirst(in fd: Int32) -> Bool {
        guard let bytes else { return true }
        var current = [UInt8](repeating: 0, count: bytes.count)
        let n = current.withUnsafeMutableBytes { IO.pread(fd, $0, at: 0) }
        guard case .success(let count) = n else { return true }
        return count == bytes.count && current == bytes
    }
}
