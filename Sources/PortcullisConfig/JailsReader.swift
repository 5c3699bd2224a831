/// Reads a whole fail2ban tree's jails (`jail.conf`, `jail.d/*.conf`, `jail.local`,
/// `jail.d/*.local`, and their includes such as `paths-debian.conf`): every section except
/// `[INCLUDES]` (and `[DEFAULT]`) and the `[feed-…]` blocklist feeds (see `FeedReader`) is a jail. This is what `portcullis config` and the server call.
public struct JailsReader {
    public let configDirectory: String
    public private(set) var parser: ConfigParserWithIncludes
    let cache: IniFileCache

    /// Reads the `jail` unit under `configDirectory`. Throws when no jail file exists or a file is malformed.
    public init(configDirectory: String, cache: IniFileCache = IniFileCache()) throws {
        let directory = configDirectory.count > 1 && configDirectory.hasSuffix("/") ? String(configDirectory.dropLast()) : configDirectory
        self.configDirectory = directory
        self.cache = cache
        let files = ConfigFileSet.unitFiles(named: "jail", in: directory)
        guard !files.isEmpty else {
            throw ConfigError(file: directory, "no jail configuration found (expected jail.conf, jail.d/*.conf, jail.local or jail.d/*.local)")
        }
        parser = try ConfigParserWithIncludes(paths: ConfigFileSet.withIncludes(files, cache: cache), cache: cache)
    }

    /// Names of all jail sections, in file order (feeds excluded).
    public var jailNames: [String] { parser.sections.filter { $0 != "INCLUDES" && !FeedReader.isFeed(section: $0) } }

    /// One result per jail: resolved, disabled (nil definition), or its error.
    public struct Outcome: Sendable {
        public var name: String
        public var result: Result<JailDefinition?, ConfigError>
    }

    /// Resolves every jail (`forceEnable`: treat all as enabled, for checking a whole tree).
    /// Errors are collected per jail, as fail2ban reports each broken jail.
    public mutating func readJails(forceEnable: Bool = false, allowMissingLogs: Bool = true) -> [Outcome] {
        var outcomes: [Outcome] = []
        for name in jailNames {
            do {
                let jail = try JailReader.read(jail: name, parser: &parser, configDirectory: configDirectory,
                                               forceEnable: forceEnable, allowMissingLogs: allowMissingLogs, cache: cache)
                outcomes.append(Outcome(name: name, result: .success(jail)))
            } catch let error as ConfigError {
                outcomes.append(Outcome(name: name, result: .failure(error)))
            } catch {
                outcomes.append(Outcome(name: name, result: .failure(ConfigError("jail '\(name)': \(error)"))))
            }
        }
        return outcomes
    }

    /// The enabled jails, or the first error.
    public mutating func enabledJails() throws -> [JailDefinition] {
        try readJails().compactMap { try $0.result.get() }
    }

    /// Reads one jail (even if disabled when `forceEnable`).
    public mutating func jail(named name: String, forceEnable: Bool = false) throws -> JailDefinition? {
        try JailReader.read(jail: name, parser: &parser, configDirectory: configDirectory, forceEnable: forceEnable, cache: cache)
    }
}
