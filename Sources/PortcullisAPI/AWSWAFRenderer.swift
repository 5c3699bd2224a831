import PortcullisConfig

/// What an AWS WAF IP set is called and where it lives, from the `name=` and `scope=` query
/// parameters.
public struct AWSWAFOptions: Sendable, Equatable {
    public var name: String
    /// `REGIONAL` (load balancers, API Gateway) or `CLOUDFRONT`.
    public var scope: String

    public init(name: String = "portcullis-banlist", scope: String = "REGIONAL") {
        self.name = name
        self.scope = scope
    }

    public static let scopes = ["REGIONAL", "CLOUDFRONT"]

    /// AWS's rule for IP set names: 1–128 of letters, digits, `_` and `-`.
    public static func isValidName(_ name: String) -> Bool {
        (1...128).contains(name.count) && name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == "-" }
    }
}

/// The AWS WAF (v2) IP set import format:
/// `{"Name":"portcullis-banlist","Scope":"REGIONAL","IPAddressVersion":"IPV4","Addresses":["192.0.2.1/32"]}`,
/// for `aws wafv2 create-ip-set --cli-input-json file://…` (for `update-ip-set`, add `Id` and
/// `LockToken`). AWS wants CIDR notation and one IP version per set, hence `version=`.
enum AWSWAFRenderer {
    static func ipSet(_ bans: [ExportedBan], version: IPVersion, options: AWSWAFOptions) -> String {
        let addresses = BannedAddress.distinct(bans, version: version).map { JSONText.quoted($0.cidr) }
        return "{\"Name\":\(JSONText.quoted(options.name)),\"Scope\":\(JSONText.quoted(options.scope)),"
            + "\"IPAddressVersion\":\"\(version == .v4 ? "IPV4" : "IPV6")\",\"Addresses\":[\(addresses.joined(separator: ","))]}\n"
    }
}
