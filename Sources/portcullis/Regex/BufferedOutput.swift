import PortcullisConfig
#if canImport(Glibc)
import Glibc
#endif

/// Standard output through a large buffer: reports of a million lines must not cost a
/// system call per line.
struct BufferedOutput {
    private var buffer: [UInt8] = []
    private let fd: Int32
    private let limit = 1 << 16

    init(fd: Int32 = 1) {
        self.fd = fd
        buffer.reserveCapacity(limit + 4096)
    }

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= limit { flush() }
    }

    mutating func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, buffer.count - offset) }
            if n <= 0 { if errno == EINTR { continue }; break }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

func writeStandardError(_ text: String) {
    var err = BufferedOutput(fd: 2)
    err.write(text)
    err.flush()
}

/// The two JSON encodings `regex --json` needs per line, without Foundation.
enum JSON {
    static func string(_ s: String) -> String { JSONText.quoted(s) }

    static func number(_ d: Double) -> String {
        if d.isFinite && d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) + ".0" }
        return "\(d)"
    }
}
