import Foundation

/// Resolves `[feed-NAME]` sections of the jail unit into `FeedDefinition`s. Values go through
/// the same `%(name)s` interpolation as a jail's, and every error names the option's `file:line`.
public enum FeedReader {
    /// Sections named `feed-…` are feeds, not jails.
    public static let sectionPrefix = "feed-"

    public static func isFeed(section name: String) -> Bool { name.hasPrefix(sectionPrefix) }

    /// The firewall backends a feed's set can live in.
    public static let backends = ["portcullis-nftables", "portcullis-ipset"]
    /// The `blocktype`s a native backend knows (nftables verdicts).
    public static let blockTypes = ["drop", "reject"]

    /// Reads one feed section of `parser` (enabled or not; see `FeedDefinition.enabled`).
    public static func read(feed name: String, parser: ConfigParserWithIncludes) throws -> FeedDefinition {
        guard parser.hasSection(name) else { throw ConfigError("feed '\(name)' not found among the configured feeds") }
        let section = Section(name: name, parser: parser)
        let start = parser.sectionTables[name]?.entries.first?.value.location

        let url = try section.own("url"), path = try section.own("path")
        let categories = OptionSpec.splitWords(try section.own("categories") ?? "")
        let source: FeedSource
        switch (url, path) {
        case let (url?, nil):
            source = .url(try checkedURL(url, categories: categories, at: section.location("url"), feed: name))
        case let (nil, path?):
            guard path.hasPrefix("/") else {
                throw ConfigError(at: section.location("path"), "feed '\(name)': path '\(path)' must be absolute")
            }
            source = .path(path)
        case (.some, .some):
            throw ConfigError(at: section.location("path"), "feed '\(name)' sets both url and path; keep one of them")
        case (nil, nil):
            throw ConfigError(at: start, "feed '\(name)' needs a source: url = http(s)://… or path = /…")
        }

        let interval = try section.seconds("interval", default: 300)
        guard interval >= 1 else {
            throw ConfigError(at: section.location("interval"), "feed '\(name)': interval must be at least 1 second")
        }
        let timeout = try section.seconds("timeout", default: 30)
        guard timeout > 0 else {
            throw ConfigError(at: section.location("timeout"), "feed '\(name)': timeout must be more than 0 seconds")
        }
        let banTime = try section.seconds("bantime", default: -1)

        let blockType = (try section.own("blocktype") ?? "drop").lowercased()
        guard blockTypes.contains(blockType) else {
            throw ConfigError(at: section.location("blocktype"),
                              "feed '\(name)': blocktype '\(blockType)' is not one of \(blockTypes.joined(separator: ", "))")
        }
        let backend = try section.own("backend") ?? defaultBackend(try section.inherited("banaction"))
        guard backends.contains(backend) else {
            throw ConfigError(at: section.location("backend"),
                              "feed '\(name)': backend '\(backend)' is not one of \(backends.joined(separator: ", "))")
        }
        var ports = try section.own("port") ?? ""
        if ["all", "0:65535", "1:65535"].contains(ports.lowercased()) { ports = "" }
        let enabled = try section.own("enabled").map(JailReader.asBool) ?? true

        return FeedDefinition(
            name: name, source: source, interval: interval, banTime: banTime > 0 ? banTime : -1, timeout: timeout,
            categories: categories, ports: ports, protocol: (try section.own("protocol") ?? "all").lowercased(),
            blockType: blockType, backend: backend,
            ignoreIP: OptionSpec.splitWords(try section.inherited("ignoreip") ?? ""), enabled: enabled,
            file: start?.file, line: start?.line)
    }

    /// `banaction` when it names a native backend (`portcullis-ipset[…]` too), else nftables.
    static func defaultBackend(_ banAction: String?) -> String {
        guard let banAction, let spec = try? OptionSpec.parse(banAction), backends.contains(spec.name) else { return backends[0] }
        return spec.name
    }

    /// Checks the scheme and host, and adds `categories=a,b` to the query unless it has one
    /// (Krawl filters its lists by that query parameter).
    static func checkedURL(_ text: String, categories: [String], at location: SourceLocation?, feed: String) throws -> String {
        guard var components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", components.host.map({ !$0.isEmpty }) == true else {
            throw ConfigError(at: location, "feed '\(feed)': url '\(text)' is not an http:// or https:// URL with a host")
        }
        let items = components.queryItems ?? []
        if !categories.isEmpty, !items.contains(where: { $0.name == "categories" }) {
            components.queryItems = items + [URLQueryItem(name: "categories", value: categories.joined(separator: ","))]
        }
        guard let url = components.string else {
            throw ConfigError(at: location, "feed '\(feed)': url '\(text)' cannot be rebuilt with its categories")
        }
        return url
    }

    /// One section's options: `own` reads only what the section itself sets, `inherited` falls
    /// back to `[DEFAULT]`; both interpolate.
    struct Section {
        let name: String
        let parser: ConfigParserWithIncludes

        func location(_ option: String) -> SourceLocation? { parser.rawValue(name, option)?.location }

        func own(_ option: String) throws -> String? {
            guard parser.sectionTables[name]?.contains(option) == true else { return nil }
            return try inherited(option)
        }

        func inherited(_ option: String) throws -> String? {
            try parser.get(name, option)?.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func seconds(_ option: String, default value: Double) throws -> Double {
            guard let text = try own(option), !text.isEmpty else { return value }
            do { return try TimeAbbreviation.seconds(text) } catch let error as TimeAbbreviation.Invalid {
                throw ConfigError(at: location(option), "feed '\(name)': \(option): \(error.description)")
            }
        }
    }
}

extension JailsReader {
    /// Names of the `[feed-…]` sections, in file order.
    public var feedNames: [String] { parser.sections.filter(FeedReader.isFeed(section:)) }

    /// One result per feed section: its definition (enabled or not) or its error.
    public struct FeedOutcome: Sendable {
        public var name: String
        public var result: Result<FeedDefinition, ConfigError>
    }

    /// Resolves every feed section; errors are collected per feed, as for jails.
    public func readFeeds() -> [FeedOutcome] {
        let parser = feedParser
        return feedNames.map { name in
            do { return FeedOutcome(name: name, result: .success(try FeedReader.read(feed: name, parser: parser))) }
            catch let error as ConfigError { return FeedOutcome(name: name, result: .failure(error)) }
            catch { return FeedOutcome(name: name, result: .failure(ConfigError("feed '\(name)': \(error)"))) }
        }
    }

    /// The enabled feeds, or the first error.
    public func enabledFeeds() throws -> [FeedDefinition] {
        try readFeeds().map { try $0.result.get() }.filter(\.enabled)
    }

    /// Reads one feed section.
    public func feed(named name: String) throws -> FeedDefinition {
        try FeedReader.read(feed: name, parser: feedParser)
    }

    /// The parser with the values fail2ban adds to `[DEFAULT]` (`%(fail2ban_confpath)s`).
    private var feedParser: ConfigParserWithIncludes {
        var parser = parser
        parser.mergeDefaults([("fail2ban_version", JailReader.fail2banVersion), ("fail2ban_confpath", configDirectory)])
        return parser
    }
}
