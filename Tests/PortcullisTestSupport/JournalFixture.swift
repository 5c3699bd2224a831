import Foundation

/// systemd journal files made by a test, from entries in the Journal Export Format, through
/// `systemd-journal-remote` (Debian's `systemd-journal-remote` package): no journald needed.
///
/// The tool reads the export format on stdin (`-`) and writes (or appends to) the file named by
/// `--output=`, which must end in ".journal". Each entry gets `__REALTIME_TIMESTAMP` (from
/// `realtime`), and a `__MONOTONIC_TIMESTAMP` and `_BOOT_ID` unless given — the tool needs them.
public enum JournalFixture {
    public static let tool = "/lib/systemd/systemd-journal-remote"

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public struct Entry: Sendable {
        /// Microseconds since the epoch.
        public var realtime: UInt64
        /// Fields in order; a field may repeat (several MESSAGE values).
        public var fields: [(String, String)]

        public init(realtime: UInt64, _ fields: [(String, String)]) {
            self.realtime = realtime
            self.fields = fields
        }
    }

    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: tool) }

    /// The export-format bytes for `entries` (values with a newline use the binary form).
    public static func export(_ entries: [Entry]) -> Data {
        var data = Data()
        for (index, entry) in entries.enumerated() {
            var fields = entry.fields
            if !fields.contains(where: { $0.0 == "__MONOTONIC_TIMESTAMP" }) {
                fields.append(("__MONOTONIC_TIMESTAMP", String(1_000_000 + index)))
            }
            if !fields.contains(where: { $0.0 == "_BOOT_ID" }) {
                fields.append(("_BOOT_ID", "4a5c3e8b9d0f41c2a7e6b5d4c3b2a190"))
            }
            data.append(Data("__REALTIME_TIMESTAMP=\(entry.realtime)\n".utf8))
            for (name, value) in fields {
                let bytes = Data(value.utf8)
                if bytes.contains(0x0a) {
                    data.append(Data("\(name)\n".utf8))
                    var length = UInt64(bytes.count).littleEndian
                    withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
                    data.append(bytes)
                    data.append(0x0a)
                } else {
                    data.append(Data("\(name)=".utf8))
                    data.append(bytes)
                    data.append(0x0a)
                }
            }
            data.append(0x0a)
        }
        return data
    }

    /// Writes `entries` into the journal file at `path` (created, or appended to).
    public static func write(_ entries: [Entry], to path: String) throws {
        guard path.hasSuffix(".journal") else { throw Failure(description: "\(path): a journal file name must end in .journal") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--output=\(path)", "--split-mode=none", "-"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: export(entries))
        try input.fileHandleForWriting.close()
        let log = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(tool) exited \(process.terminationStatus): \(String(decoding: log, as: UTF8.self))")
        }
    }
}
