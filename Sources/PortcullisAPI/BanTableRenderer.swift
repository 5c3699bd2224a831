import PortcullisConfig

/// Bans with their times, one record per (jail, address): JSON for programs, CSV for
/// spreadsheets. Times are epoch seconds; a permanent ban has no expiry (JSON `null`, an
/// empty CSV field) and `bantime` -1.
enum BanTableRenderer {
    /// Bans sorted by jail, then address, then time, so output is stable between requests.
    static func ordered(_ bans: [ExportedBan], version: IPVersion?) -> [ExportedBan] {
        let keyed = bans.map { (ban: $0, address: BannedAddress($0.ip)) }
            .filter { version == nil || $0.address?.version == version }
        return keyed.sorted { a, b in
            if a.ban.jail != b.ban.jail { return a.ban.jail < b.ban.jail }
            switch (a.address, b.address) {
            case let (x?, y?) where x != y: return x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: break
            }
            if a.ban.ip != b.ban.ip { return a.ban.ip < b.ban.ip }
            return a.ban.timeOfBan < b.ban.timeOfBan
        }.map(\.ban)
    }

    /// `[{"jail":"sshd","ip":"192.0.2.1","timeofban":1700000000,"expiry":1700000600,"bantime":600,"bancount":1}, …]`,
    /// one object per line.
    static func json(_ bans: [ExportedBan], version: IPVersion?) -> String {
        let objects = ordered(bans, version: version).map { ban in
            "{\"jail\":\(JSONText.quoted(ban.jail)),\"ip\":\(JSONText.quoted(ban.ip)),"
                + "\"timeofban\":\(number(ban.timeOfBan)),\"expiry\":\(ban.expiry.map(number) ?? "null"),"
                + "\"bantime\":\(number(ban.banTime)),\"bancount\":\(ban.banCount)}"
        }
        return jsonArray(objects)
    }

    /// A JSON array of already-rendered values, one per line.
    static func jsonArray(_ values: [String]) -> String {
        values.isEmpty ? "[]\n" : "[\n" + values.joined(separator: ",\n") + "\n]\n"
    }

    /// RFC 4180 fields (quoted when they hold `,`, `"` or a line break), lines ending in `\n`.
    static func csv(_ bans: [ExportedBan], version: IPVersion?) -> String {
        var out = "jail,ip,timeofban,expiry,bantime,bancount\n"
        for ban in ordered(bans, version: version) {
            let fields = [field(ban.jail), field(ban.ip), number(ban.timeOfBan), ban.expiry.map(number) ?? "",
                          number(ban.banTime), String(ban.banCount)]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// Whole seconds without a fraction (`1700000000`), others as Swift prints them (`1700000000.25`).
    static func number(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.isFinite ? String(value) : "null"
    }

    private static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.map { $0 == "\"" ? "\"\"" : String($0) }.joined() + "\""
    }
}
