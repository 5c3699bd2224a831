/// Turns a `LogStart` into the offset of the first byte to read in an open file.
enum StartResolver {
    static func offset(for start: LogStart, fd: Int32, size: UInt64, firstLine: FirstLine?) -> UInt64 {
        switch start {
        case .beginning:
            return 0
        case .end:
            return startOfTrailingPartial(fd: fd, size: size)
        case .stored(let position):
            return matches(position, size: size, firstLine: firstLine) ? position.offset : 0
        case .time(let time, let dateOfLine):
            return TimeSeek.offset(fd: fd, size: size, from: 0, time: time, dateOfLine: dateOfLine)
        case .resume(let position, let otherwise):
            guard matches(position, size: size, firstLine: firstLine) else {
                return offset(for: otherwise, fd: fd, size: size, firstLine: firstLine)
            }
            if case .time(let time, let dateOfLine) = otherwise {
                return TimeSeek.offset(fd: fd, size: size, from: position.offset, time: time, dateOfLine: dateOfLine)
            }
            return position.offset
        }
    }

    /// A stored position applies when the first line hashes the same (both "" counts: no
    /// complete first line then or now) and the file has not shrunk below it.
    static func matches(_ position: LogPosition, size: UInt64, firstLine: FirstLine?) -> Bool {
        position.firstLineHash == (firstLine?.hash ?? "") && position.offset <= size
    }

    /// The end of the file, or the start of a final line still being written there.
    static func startOfTrailingPartial(fd: Int32, size: UInt64) -> UInt64 {
        var end = size
        let chunk: UInt64 = 64 * 1024
        var buffer = [UInt8](repeating: 0, count: Int(chunk))
        while end > 0 {
            let from = end > chunk ? end - chunk : 0
            let want = Int(end - from)
            let result = buffer.withUnsafeMutableBytes {
                IO.pread(fd, UnsafeMutableRawBufferPointer(rebasing: $0[0..<want]), at: from)
            }
            guard case .success(let n) = result, n == want else { return size }
            if let stop = buffer.withUnsafeBufferPointer({
                LineScanner.endOfLastLine(UnsafeBufferPointer(rebasing: $0[0..<want]))
            }) {
                return from + UInt64(stop)
            }
            end = from
        }
        return 0
    }
}
