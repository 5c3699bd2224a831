/// Reads single lines at arbitrary offsets through a window buffer: the few dozen probes of a
/// time seek cost a few `pread`s, not one per line.
struct FileLineReader {
    let fd: Int32
    let size: UInt64
    private var window: [UInt8] = []
    private var windowStart: UInt64 = 0
    private static let windowSize = 64 * 1024

    init(fd: Int32, size: UInt64) {
        self.fd = fd
        self.size = size
    }

    /// One complete line at `offset`: its bytes without line ending, and the offset after its
    /// "\n". Nil at the end of the file or for an unterminated final line.
    mutating func line(at offset: UInt64) -> (bytes: ArraySlice<UInt8>, next: UInt64)? {
        guard offset < size else { return nil }
        var wanted = Self.windowSize
        while true {
            if offset < windowStart || offset >= windowStart + UInt64(window.count) || wanted > Self.windowSize {
                guard load(from: offset, count: wanted) else { return nil }
            }
            let local = Int(offset - windowStart)
            let newline = window.withUnsafeBufferPointer { LineScanner.firstNewline($0, from: local) }
            if let newline {
                var stop = newline
                if stop > local && window[stop - 1] == 0x0d { stop -= 1 }
                return (window[local..<stop], windowStart + UInt64(newline) + 1)
            }
            // No newline in the window: at end of file it is a partial line; else widen.
            if windowStart + UInt64(window.count) >= size { return nil }
            if windowStart != offset { windowStart = .max; window = []; continue }
            wanted = window.count * 2
        }
    }

    /// Offset of the first line start at or after `offset` (a start is 0 or just past a "\n").
    mutating func lineStart(atOrAfter offset: UInt64) -> UInt64 {
        if offset == 0 { return 0 }
        var probe = offset - 1
        while probe < size {
            if probe < windowStart || probe >= windowStart + UInt64(window.count) {
                guard load(from: probe, count: Self.windowSize) else { return size }
            }
            let local = Int(probe - windowStart)
            if let newline = window.withUnsafeBufferPointer({ LineScanner.firstNewline($0, from: local) }) {
                return windowStart + UInt64(newline) + 1
            }
            probe = windowStart + UInt64(window.count)
        }
        return size
    }

    private mutating func load(from offset: UInt64, count: Int) -> Bool {
        let length = Int(min(UInt64(count), size - offset))
        guard length > 0 else { return false }
        var fresh = [UInt8](repeating: 0, count: length)
        let result = fresh.withUnsafeMutableBytes { IO.pread(fd, $0, at: offset) }
        guard case .success(let n) = result, n > 0 else { return false }
        fresh.removeLast(length - n)
        window = fresh
        windowStart = offset
        return true
    }
}
