/// The query parameters of `/api/get_banlist` and `/api/bans`, checked before any data is read:
/// `fwtype` (default `raw`), `jail`, `version` (`4`/`6`), and for `aws-waf` `name` and `scope`.
struct BanListQuery: Equatable {
    var format: BanListFormat = .raw
    var jail: String?
    var version: IPVersion?
    var awsWAF = AWSWAFOptions()

    /// A parameter the client must fix, said in a sentence that names the valid values.
    struct Invalid: Error, Equatable {
        let message: String
    }

    init(_ parameters: [(String, String)]) throws(Invalid) {
        for (name, value) in parameters {
            switch name {
            case "fwtype":
                guard let format = BanListFormat(rawValue: value.lowercased()) else {
                    throw Invalid(message: "unknown fwtype '\(value)'; valid values: \(BanListFormat.names.joined(separator: ", "))")
                }
                self.format = format
            case "jail":
                jail = value.isEmpty ? nil : value
            case "version":
                switch value.lowercased() {
                case "4", "ipv4": version = .v4
                case "6", "ipv6": version = .v6
                default: throw Invalid(message: "unknown version '\(value)'; valid values: 4, 6")
                }
            case "name":
                guard AWSWAFOptions.isValidName(value) else {
                    throw Invalid(message: "invalid IP set name '\(value)': 1 to 128 letters, digits, '_' or '-'")
                }
                awsWAF.name = value
            case "scope":
                guard AWSWAFOptions.scopes.contains(value.uppercased()) else {
                    throw Invalid(message: "unknown scope '\(value)'; valid values: \(AWSWAFOptions.scopes.joined(separator: ", "))")
                }
                awsWAF.scope = value.uppercased()
            default:
                continue
            }
        }
    }
}
