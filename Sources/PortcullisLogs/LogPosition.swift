/// Where a watched file is: its path, the md5 hex of its first line (fail2ban's `firstlinemd5`,
/// newline included; "" while the file has no complete first line) and the byte offset of the
/// next line to read. The daemon persists it so a restart resumes where it stopped, and the
/// hash tells a resumed file from a new one that replaced it under the same name.
public struct LogPosition: Sendable, Equatable, Hashable, Codable {
    public var path: String
    public var firstLineHash: String
    public var offset: UInt64

    public init(path: String, firstLineHash: String, offset: UInt64) {
        self.path = path
        self.firstLineHash = firstLineHash
        self.offset = offset
    }
}

/// How to start reading a file that exists when it is added. (A file that is missing then, or
/// that replaces a rotated one later, is always read from its beginning: all of it is new.)
public indirect enum LogStart: Sendable {
    /// From the first byte (fail2ban's `logpath = … head`, without a database).
    case beginning
    /// Only what is written from now on (`logpath = … tail`). A final line still being written
    /// is read whole once completed, never as a fragment.
    case end
    /// The stored position, if the file's first line still hashes to the stored value and the
    /// file is at least that long; otherwise from the beginning (the file was replaced).
    case stored(LogPosition)
    /// fail2ban's `seekToTime(now - findtime)`: a binary search by line dates for the first
    /// line dated at or after `time` (seconds since the epoch). `dateOfLine` receives one line
    /// without its newline and returns its date, or nil for an undated line.
    case time(Double, dateOfLine: @Sendable (UnsafeBufferPointer<UInt8>) -> Double?)
    /// fail2ban's start with a database: the stored position if it still matches, and then —
    /// when `otherwise` is `.time` — on from there to the first line at or after that time
    /// (never back before the stored offset). When the position does not match, `otherwise`.
    case resume(LogPosition, otherwise: LogStart)
}
