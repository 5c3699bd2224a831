/// `--json` output for scripts: the replies of the commands scripts poll most, as one line of
/// JSON with stable snake_case keys, instead of the tree text meant for people.
///
/// | command | output |
/// |---|---|
/// | `status` | `{"number_of_jails":2,"jails":["nginx","sshd"]}` |
/// | `status <jail> [flavor]` | `{"jail":"sshd","filter":{"currently_failed":0,"total_failed":3,"file_list":["/var/log/auth.log"]},"actions":{"currently_banned":1,"total_banned":1,"banned_ip_list":["1.2.3.4"]}}` |
/// | `banned` | `{"sshd":["1.2.3.4"],"nginx":[]}` |
/// | `banned <ip> …` | `{"1.2.3.4":["sshd"],"5.6.7.8":[]}` |
/// | `get <jail> banned [<ip> …]` | the reply as JSON (`["1.2.3.4"]`, `1`, `[1,0]`) |
/// | `get <jail> banip` | `["1.2.3.4","5.6.7.8"]` |
/// | `get <jail> banip --with-time` | `[{"ip":"1.2.3.4","banned_at":"2024-05-01 10:00:00","bantime":600,"expires_at":"2024-05-01 10:10:00"}]` |
///
/// Status keys are the labels fail2ban prints, lowercased with non-alphanumerics as `_`
/// (`Banned IP list` → `banned_ip_list`), so flavors and backends that add lines
/// (`cymru`, `Journal matches`) get keys too.
public enum JSONOutput {
    /// The JSON text for `command`'s reply, or nil when the command has no JSON form.
    public static func format(command: [String], response: ControlValue) -> String? {
        guard let value = json(command, response) else { return nil }
        return String(decoding: ControlJSON.encode(value), as: UTF8.self)
    }

    /// `{"error":"message"}` for a failed command.
    public static func formatError(command: [String], message: String) -> String {
        String(decoding: ControlJSON.encode(.dict([("error", .string(message))])), as: UTF8.self)
    }

    private static func json(_ command: [String], _ response: ControlValue) -> ControlValue? {
        switch command.first {
        case "status" where command.count == 1:
            return serverStatus(response)
        case "status" where command.count <= 3:
            return jailStatus(command[1], response)
        case "banned":
            return banned(command, response)
        case "get" where command.count >= 3 && command[2] == "banned":
            return response
        case "get" where command.count >= 3 && command[2] == "banip":
            guard case .list(let items) = response else { return nil }
            if command.count > 3 && command[3] == "--with-time" { return .list(items.map(banEntry)) }
            return response
        default:
            return nil
        }
    }

    private static func serverStatus(_ response: ControlValue) -> ControlValue? {
        guard let pairs = labelled(response) else { return nil }
        var entries: [(String, ControlValue)] = []
        for (label, value) in pairs {
            switch label {
            case "Number of jail":
                entries.append(("number_of_jails", value))
            case "Jail list":
                let names = (value.stringValue ?? "").split(separator: ",").map {
                    ControlValue.string($0.trimmingSpaces())
                }
                entries.append(("jails", .list(names)))
            default:
                entries.append((key(label), value))
            }
        }
        return .dict(entries)
    }

    private static func jailStatus(_ jail: String, _ response: ControlValue) -> ControlValue? {
        guard let sections = labelled(response) else { return nil }
        var entries: [(String, ControlValue)] = [("jail", .string(jail))]
        for (section, content) in sections {
            guard let pairs = labelled(content) else { return nil }
            entries.append((key(section), .dict(pairs.map { (key($0.0), $0.1) })))
        }
        return .dict(entries)
    }

    private static func banned(_ command: [String], _ response: ControlValue) -> ControlValue? {
        guard case .list(let items) = response else { return nil }
        if command.count == 1 {
            var entries: [(String, ControlValue)] = []
            for item in items {
                guard case .dict(let jailEntries) = item else { return nil }
                entries += jailEntries
            }
            return .dict(entries)
        }
        let addresses = command.dropFirst()
        guard addresses.count == items.count else { return nil }
        return .dict(Array(zip(addresses, items)))
    }

    /// `"1.2.3.4 \t2024-05-01 10:00:00 + 600 = 2024-05-01 10:10:00"` as an object; a line of
    /// another shape stays a string.
    private static func banEntry(_ line: ControlValue) -> ControlValue {
        guard let text = line.stringValue,
              let tab = text.firstIndex(of: "\t")
        else { return line }
        let address = text[..<tab].trimmingSpaces()
        let times = text[text.index(after: tab)...]
        guard let plus = times.firstIndex(of: "+"),
              let equals = times[plus...].firstIndex(of: "=")
        else { return line }
        let bantimeText = times[times.index(after: plus)..<equals].trimmingSpaces()
        let bantime: ControlValue = Int(bantimeText).map(ControlValue.int)
            ?? Double(bantimeText).map(ControlValue.double) ?? .string(bantimeText)
        return .dict([
            ("ip", .string(address)),
            ("banned_at", .string(times[..<plus].trimmingSpaces())),
            ("bantime", bantime),
            ("expires_at", .string(times[times.index(after: equals)...].trimmingSpaces())),
        ])
    }

    /// A list of `(label, value)` pairs, or nil.
    private static func labelled(_ value: ControlValue) -> [(String, ControlValue)]? {
        guard case .list(let items) = value else { return nil }
        var pairs: [(String, ControlValue)] = []
        for item in items {
            guard case .list(let pair) = item, pair.count == 2, case .string(let label) = pair[0] else { return nil }
            pairs.append((label, pair[1]))
        }
        return pairs
    }

    /// `Banned IP list` → `banned_ip_list`.
    static func key(_ label: String) -> String {
        var result = ""
        var pendingSeparator = false
        for scalar in label.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingSeparator && !result.isEmpty { result += "_" }
                pendingSeparator = false
                result += String(scalar).lowercased()
            } else {
                pendingSeparator = true
            }
        }
        return result
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces (no Foundation in this target).
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
