import Foundation
import GRDB

/// Reads the `data` column of fail2ban's `bans` and `bips` tables: JSON written by Python (as a
/// UTF-8 blob or as text) holding `matches`, `failures` and any further ticket data.
enum Fail2banJSON {
    struct TicketData: Equatable {
        var matches: [String] = []
        var failures = 1
        var fields: [String: String]?
    }

    /// The ticket data; an empty one for NULL; nil when the value is not a JSON object.
    static func ticketData(_ value: DatabaseValue) -> TicketData? {
        let bytes: Data
        switch value.storage {
        case .null: return TicketData()
        case .blob(let data): bytes = data
        case .string(let text): bytes = Data(text.utf8)
        case .int64, .double: return nil
        }
        guard let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any] else { return nil }
        var data = TicketData()
        var fields: [String: String] = [:]
        for (key, member) in object {
            switch key {
            case "matches":
                if let array = member as? [Any] { data.matches = array.map(string) }
            case "failures":
                if let number = member as? NSNumber { data.failures = number.intValue }
            default:
                if member is NSNull { continue }
                fields[key] = string(member)
            }
        }
        data.fields = fields.isEmpty ? nil : fields
        return data
    }

    /// A JSON value as text: strings as they are, anything else as JSON.
    static func string(_ value: Any) -> String {
        if let string = value as? String { return string }
        if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]) {
            return String(decoding: data, as: UTF8.self)
        }
        return String(describing: value)
    }
}
