import Foundation

/// The ban-list export API's settings: the `[API]` section of the `fail2ban` unit
/// (`fail2ban.conf`, `fail2ban.d/*`, `fail2ban.local`). Off unless enabled, because an HTTP
/// listener is a new attack surface an administrator must opt into; loopback unless bound
/// elsewhere; and never reachable from the network without a bearer token.
///
/// ```ini
/// [API]
/// enabled   = true
/// bind      = 0.0.0.0          ; default 127.0.0.1; IPv6 literals (::1, ::) too
/// port      = 8710             ; default 8710; 0 picks a free port
/// tokenfile = /etc/fail2ban/api.token   ; or: token = s3cret  (required off loopback)
/// prefix    = /dashboard-path  ; optional: serves /dashboard-path/api/get_banlist
/// ```
public struct APISettings: Sendable, Equatable {
    /// Port used when `port` is not set (unassigned by IANA, unlikely to collide).
    public static let defaultPort = 8710
    public static let defaultBind = "127.0.0.1"

    public var enabled: Bool
    /// The address to listen on, an IP literal without brackets (`127.0.0.1`, `::1`, `0.0.0.0`).
    public var bind: String
    /// 0...65535; 0 lets the system choose (tests).
    public var port: Int
    /// The bearer token every request must present, when set.
    public var token: String?
    /// URL path prefix, normalised to `""` or `/segment[/segment…]` without a trailing slash.
    public var prefix: String
    /// Where the API was switched on (`enabled =`), so the daemon can point at it when
    /// listening fails; nil when the section does not set `enabled`.
    public var file: String?
    public var line: Int?

    public init(enabled: Bool = false, bind: String = defaultBind, port: Int = defaultPort, token: String? = nil,
                prefix: String = "", file: String? = nil, line: Int? = nil) {
        self.enabled = enabled
        self.bind = bind
        self.port = port
        self.token = token
        self.prefix = prefix
        self.file = file
        self.line = line
    }

    /// True when `bind` only accepts connections from this host (`127.0.0.0/8`, `::1`).
    public var isLoopback: Bool { Self.isLoopback(bind) }

    /// Reads `[API]` from the `fail2ban` unit under `configDirectory`; defaults (disabled)
    /// when there is no such section.
    public static func read(configDirectory: String, cache: IniFileCache = IniFileCache()) throws(ConfigError) -> APISettings {
        do {
            let files = ConfigFileSet.unitFiles(named: "fail2ban", in: configDirectory)
            let parser = try ConfigParserWithIncludes(paths: ConfigFileSet.withIncludes(files, cache: cache), cache: cache)
            return try read(from: parser)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError("cannot read the [API] settings under \(configDirectory): \(error)")
        }
    }

    static let section = "API"

    static func read(from parser: ConfigParserWithIncludes) throws -> APISettings {
        guard parser.hasSection(section) else { return APISettings() }
        func value(_ name: String) throws -> (text: String, location: SourceLocation?)? {
            guard let raw = parser.rawValue(section, name), let text = try parser.get(section, name) else { return nil }
            return (text.trimmingCharacters(in: .whitespaces), raw.location)
        }
        var settings = APISettings()
        if let enabled = try value("enabled") {
            settings.enabled = JailReader.asBool(enabled.text)
            settings.file = enabled.location?.file
            settings.line = enabled.location?.line
        }
        let bind = try value("bind")
        if let bind {
            settings.bind = try parseBind(bind.text, at: bind.location)
        }
        if let port = try value("port") {
            guard let number = Int(port.text), (0...65535).contains(number) else {
                throw ConfigError(at: port.location, "port must be a number from 0 to 65535, got '\(port.text)'")
            }
            settings.port = number
        }
        settings.token = try readToken(token: value("token"), tokenFile: value("tokenfile"))
        if let prefix = try value("prefix") {
            settings.prefix = try parsePrefix(prefix.text, at: prefix.location)
        }
        if settings.enabled && !settings.isLoopback && settings.token == nil {
            throw ConfigError(at: bind?.location ?? parser.rawValue(section, "enabled")?.location,
                              "a bearer token (token = … or tokenfile = …) is required when bind is not a loopback address ('\(settings.bind)')")
        }
        return settings
    }

    private static func parseBind(_ text: String, at location: SourceLocation?) throws -> String {
        var address = text
        if address.hasPrefix("[") && address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        if address.lowercased() == "localhost" { return defaultBind }
        var v4 = in_addr(), v6 = in6_addr()
        guard inet_pton(AF_INET, address, &v4) == 1 || inet_pton(AF_INET6, address, &v6) == 1 else {
            throw ConfigError(at: location, "bind must be an IP address (127.0.0.1, ::1, 0.0.0.0, ::), got '\(text)'")
        }
        return address
    }

    private static func readToken(token: (text: String, location: SourceLocation?)?,
                                  tokenFile: (text: String, location: SourceLocation?)?) throws -> String? {
        switch (token, tokenFile) {
        case (nil, nil):
            return nil
        case let (token?, nil):
            guard !token.text.isEmpty else { throw ConfigError(at: token.location, "token is empty") }
            return token.text
        case let (nil, file?):
            guard let data = FileManager.default.contents(atPath: file.text) else {
                throw ConfigError(at: file.location, "cannot read tokenfile '\(file.text)'")
            }
            let firstLine = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
            let text = firstLine.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw ConfigError(at: file.location, "tokenfile '\(file.text)' has an empty first line") }
            return text
        case let (_, file?):
            throw ConfigError(at: file.location, "set either token or tokenfile, not both")
        }
    }

    private static func parsePrefix(_ text: String, at location: SourceLocation?) throws -> String {
        let segments = text.split(separator: "/")
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        for segment in segments where segment.unicodeScalars.contains(where: { !allowed.contains($0) }) || segment == "." || segment == ".." {
            throw ConfigError(at: location, "prefix must be a URL path of letters, digits and - . _ ~ (like /dashboard-path), got '\(text)'")
        }
        return segments.isEmpty ? "" : "/" + segments.joined(separator: "/")
    }

    /// `127.0.0.0/8`, `::1` and IPv4-mapped loopback (`::ffff:127.0.0.1`).
    public static func isLoopback(_ address: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        return bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff && bytes[12] == 127
    }
}
