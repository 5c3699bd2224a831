#if canImport(Glibc)
import Glibc
#endif

/// The fields of one entry that fail2ban's line format uses, picked out in one pass over the
/// entry's data (`FIELD=value` byte strings) without building a string per field.
struct JournalFields {
    var hostname: String?
    var identifier: String?
    var command: String?
    var syslogPID: String?
    var pid: String?
    var messages: [String] = []
    var sourceRealtime: UInt64?
    var sourceMonotonic: UInt64?

    mutating func take(_ data: UnsafeRawBufferPointer) {
        guard let equals = data.firstIndex(of: UInt8(ascii: "=")) else { return }
        let name = UnsafeRawBufferPointer(rebasing: data[..<equals])
        let value = UnsafeRawBufferPointer(rebasing: data[(equals + 1)...])
        func text() -> String { String(decoding: value, as: UTF8.self) }
        switch name.count {
        case 7 where Self.equal(name, "MESSAGE"): messages.append(text())
        case 4 where Self.equal(name, "_PID"): pid = text()
        case 5 where Self.equal(name, "_COMM"): command = text()
        case 9 where Self.equal(name, "_HOSTNAME"): hostname = text()
        case 10 where Self.equal(name, "SYSLOG_PID"): syslogPID = text()
        case 17 where Self.equal(name, "SYSLOG_IDENTIFIER"): identifier = text()
        case 26 where Self.equal(name, "_SOURCE_REALTIME_TIMESTAMP"): sourceRealtime = UInt64(text())
        case 27 where Self.equal(name, "_SOURCE_MONOTONIC_TIMESTAMP"): sourceMonotonic = UInt64(text())
        default: break
        }
    }

    private static func equal(_ bytes: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
        bytes.count == name.utf8CodeUnitCount && (bytes.count == 0 || memcmp(bytes.baseAddress!, name.utf8Start, bytes.count) == 0)
    }
}

/// fail2ban's `formatJournalEntry`, our own way: "[host ]ident[pid]: [kernel time ]message".
enum JournalLineFormat {
    /// `monotonic` is asked for only for kernel messages ("kernel:" with no pid), which carry
    /// their monotonic time in brackets as the kernel prints it.
    static func line(_ fields: JournalFields, monotonic: () -> UInt64?) -> String {
        var elements = [String]()
        if let host = fields.hostname, !host.isEmpty { elements.append(host) }
        let ident = fields.identifier.flatMap { $0.isEmpty ? nil : $0 } ?? fields.command
        if let ident, !ident.isEmpty {
            var tag = ident
            if let pid = fields.syslogPID.flatMap({ $0.isEmpty ? nil : $0 }) ?? fields.pid, !pid.isEmpty {
                tag += "[\(normalizedPID(pid))]"
            }
            tag += ":"
            elements.append(tag)
            if tag == "kernel:" {
                let usec = fields.sourceMonotonic ?? monotonic() ?? 0
                elements.append("[\(kernelSeconds(usec))]")
            }
        }
        elements.append(fields.messages.joined(separator: " "))
        let line = elements.joined(separator: " ")
        return line.utf8.contains(0x0a) ? line.replacingNewlines() : line
    }

    /// A pid as an integer when it reads as one (python's `int()`: spaces, sign, underscores),
    /// else as it is.
    static func normalizedPID(_ raw: String) -> String {
        let trimmed = Substring(raw).trimmingSpaces
        var digits = Substring(trimmed)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard let first = digits.first, first.isASCII, first.isNumber, digits.last?.isNumber == true,
              digits.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "_" }),
              !digits.contains("__"),
              let value = Int(digits.filter { $0 != "_" }) else { return raw }
        return String(negative ? -value : value)
    }

    /// Python's "%12.6f" of microseconds as seconds.
    static func kernelSeconds(_ usec: UInt64) -> String {
        let fraction = String(usec % 1_000_000)
        let text = "\(usec / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
        return String(repeating: " ", count: max(0, 12 - text.count)) + text
    }
}

extension String {
    func replacingNewlines() -> String {
        var out = ""
        out.reserveCapacity(utf8.count + 8)
        for c in unicodeScalars {
            if c == "\n" { out += "\\n" } else { out.unicodeScalars.append(c) }
        }
        return out
    }
}
