#if canImport(Glibc)
import Glibc
#endif

/// Reads a file line by line in large chunks, handing each line (without `\n` / `\r\n`) to a
/// closure as raw bytes: no per-line allocation, any line length, any bytes.
struct LogFileLines {
    let path: String
    var chunkSize = 1 << 20

    struct OpenError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot read \(path): \(reason)" }
    }

    /// Calls `body(lineNumber, bytes)` for each line; returns the number of lines.
    @discardableResult
    func forEach(_ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) throws -> Int {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw OpenError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var carry: [UInt8] = []
        var lineNumber = 0
        func emit(_ line: UnsafeBufferPointer<UInt8>) {
            lineNumber += 1
            var end = line.count
            if end > 0 && line[end - 1] == 0x0D { end -= 1 }
            body(lineNumber, UnsafeBufferPointer(rebasing: line[0..<end]))
        }
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunkSize) }
            if n < 0 {
                if errno == EINTR { continue }
                throw OpenError(path: path, reason: "read error \(errno)")
            }
            if n == 0 { break }
            buffer.withUnsafeBufferPointer { chunk in
                var start = 0
                let end = n
                while start < end {
                    guard let nl = memchr(chunk.baseAddress! + start, 0x0A, end - start) else { break }
                    let lineEnd = chunk.baseAddress!.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                    if carry.isEmpty {
                        emit(UnsafeBufferPointer(rebasing: chunk[start..<lineEnd]))
                    } else {
                        carry.append(contentsOf: chunk[start..<lineEnd])
                        carry.withUnsafeBufferPointer { emit($0) }
                        carry.removeAll(keepingCapacity: true)
                    }
                    start = lineEnd + 1
                }
                if start < end { carry.append(contentsOf: chunk[start..<end]) }
            }
        }
        if !carry.isEmpty { carry.withUnsafeBufferPointer { emit($0) } }
        return lineNumber
    }
}
