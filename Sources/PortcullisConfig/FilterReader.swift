import Foundation

/// Reads `filter.d/<name>` into a `FilterDefinition` the way a jail (or fail2ban-regex) gets it:
/// `[Init]` defaults, overridden by the options in `filter = sshd[mode=aggressive]`, `logtype`
/// chosen from the backend, `[DEFAULT]` and includes (`common.conf`) honoured, tags substituted.
public struct FilterReader {
    /// fail2ban's `FilterReader._configOpts`, in its order (the order `--dump` prints them).
    public static let definitionOptionNames = ["usedns", "prefregex", "ignoreregex", "failregex", "maxlines", "datepattern", "journalmatch"]

    public let name: String
    var reader: DefinitionInitReader

    /// Reads the filter's files. Throws a did-you-mean `ConfigError` (at `reference`, the jail's
    /// `filter =` line) when `filter.d` has no such filter.
    public init(name: String, options: OrderedOptions = OrderedOptions(), jailName: String = "fail2ban-regex-jail",
                configDirectory: String, reference: SourceLocation? = nil, cache: IniFileCache = IniFileCache()) throws {
        self.name = name
        guard let reader = try DefinitionInitReader(
            subdirectory: "filter.d", name: name, jailName: jailName, initOptions: options,
            configDirectory: configDirectory, configOptionNames: Self.definitionOptionNames, cache: cache)
        else {
            throw NameSuggestions.notFound("filter", name, jail: jailName == "fail2ban-regex-jail" ? nil : jailName,
                                           configDirectory: configDirectory, at: reference)
        }
        self.reader = reader
    }

    /// The main file read (`…/filter.d/sshd.conf`).
    public var file: String { reader.file }

    /// `applyAutoOptions`: `logtype = file` (or `journal` for systemd backends) unless given.
    public mutating func applyAutoOptions(backend: String) {
        if (reader.initOptions["logtype"] ?? "").isEmpty,
           reader.parser.sectionTables["Definition"]?["logtype"] == nil {
            reader.initOptions["logtype"] = backend.hasPrefix("systemd") ? "journal" : "file"
        }
    }

    /// Reads `[Definition]` with `jailOptions` as extra interpolation values (`all`: every option, not only the known ones).
    public mutating func readOptions(jailOptions: OrderedOptions? = nil, all: Bool = false) throws {
        try reader.readOptions(jailOptions, all: all)
    }

    /// Every option after `<tag>` substitution (fail2ban's `getCombined`).
    public mutating func combined() throws -> OrderedOptions {
        try reader.combined()
    }

    /// Convenience for `portcullis regex` and tests: the resolved filter, as a jail without
    /// options of its own would see it (`backend` decides `logtype`).
    public static func load(name: String, options: OrderedOptions = OrderedOptions(), configDirectory: String,
                            backend: String = "auto") throws -> FilterDefinition {
        var reader = try FilterReader(name: name, options: options, configDirectory: configDirectory)
        reader.applyAutoOptions(backend: backend)
        try reader.readOptions()
        let base = (name as NSString).lastPathComponent
        let shortName = base.hasSuffix(".conf") || base.hasSuffix(".local") ? (base as NSString).deletingPathExtension : name
        return try FilterDefinition(name: shortName, file: reader.file, resolved: reader.combined())
    }
}

extension FilterDefinition {
    /// Builds the typed definition from resolved options (multi-line regex lists split per line, empty lines dropped).
    public init(name: String, file: String?, resolved options: OrderedOptions) throws {
        func lines(_ key: String) -> [String] {
            (options[key] ?? "").components(separatedBy: "\n").filter { !$0.isEmpty }
        }
        var maxLines: Int? = nil
        if let text = options["maxlines"] {
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw ConfigError(file: file, "maxlines must be an integer, got '\(text)'")
            }
            maxLines = n
        }
        let pref = options["prefregex"].flatMap { $0.isEmpty ? nil : $0 }
        var all: [String: String] = [:]
        for (k, v) in options { all[k] = v }
        self.init(name: name, file: file, failRegex: lines("failregex"), ignoreRegex: lines("ignoreregex"),
                  prefRegex: pref, datePattern: options["datepattern"], maxLines: maxLines,
                  journalMatch: lines("journalmatch"), options: all)
    }
}
