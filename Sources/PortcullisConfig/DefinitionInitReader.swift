import Foundation

/// The part filters and actions share (fail2ban's `DefinitionInitConfigReader`): a file with
/// `[Definition]` and `[Init]`, read with the caller's options (`sshd[mode=aggressive]`, the
/// jail's values) taking precedence over `[Init]`, then `<tag>`s substituted across the lot.
struct DefinitionInitReader {
    /// Where the unit was read from (`…/filter.d/sshd.conf`), first file.
    let file: String
    let jailName: String
    let configOptionNames: [String]
    var parser: ConfigParserWithIncludes
    /// Caller's options, then `[Init]` values (and `known/<init option>`).
    var initOptions: OrderedOptions
    private(set) var definitionOptions = OrderedOptions()
    private var passedOptions = OrderedOptions()
    private var combinedCache: [String: String?] = [:]

    /// Reads `subdirectory/name` (`.conf`, `.d/`, `.local`, includes) or, when `name` is a path to
    /// an existing file, that file with its `.local` and includes. Nil when no file exists.
    init?(subdirectory: String, name: String, jailName: String, initOptions: OrderedOptions,
          configDirectory: String, configOptionNames: [String], cache: IniFileCache) throws {
        var files: [String]
        if (name.hasSuffix(".conf") || name.hasSuffix(".local") || name.contains("/")),
           FileManager.default.fileExists(atPath: name) {
            files = [name]
        } else {
            files = ConfigFileSet.unitFiles(named: subdirectory + "/" + name, in: configDirectory)
        }
        guard !files.isEmpty else { return nil }
        let all = try ConfigFileSet.withIncludes(files, cache: cache)
        guard !all.isEmpty else { return nil }
        self.file = files[0]
        self.jailName = jailName
        self.initOptions = initOptions
        self.configOptionNames = configOptionNames
        self.parser = try ConfigParserWithIncludes(paths: all, cache: cache)
    }

    /// fail2ban's `getOptions(pOpts, all)`.
    mutating func readOptions(_ callerOptions: OrderedOptions?, all: Bool = false) throws {
        var passed = callerOptions ?? OrderedOptions()
        if !initOptions.isEmpty { passed = passed.merging(initOptions) }
        var values = OrderedOptions()
        if parser.hasSection("Definition") {
            for name in configOptionNames where !passed.contains(name) {
                if let v = try parser.get("Definition", name, vars: passed) { values[name] = v }
            }
        }
        definitionOptions = values
        passedOptions = passed
        combinedCache = [:]
        if parser.hasSection("Init") {
            for option in parser.options("Init") where option != "__name__" {
                var value: String? = nil
                if !option.hasPrefix("known/") {
                    value = try parser.get("Init", option)
                    initOptions["known/" + option] = value
                }
                if !initOptions.contains(option) {
                    if value == nil { value = try parser.get("Init", option) }
                    initOptions[option] = value
                }
            }
        }
        if all && parser.hasSection("Definition") {
            for option in parser.options("Definition", withDefaults: true) where option != "__name__" && !definitionOptions.contains(option) {
                definitionOptions[option] = try parser.get("Definition", option)
            }
        }
    }

    /// `getCombOption`: a `[Definition]` value (or `section/opt`) for tags not among the options.
    mutating func combinedOption(_ name: String) throws -> String? {
        if let cached = combinedCache[name] { return cached }
        let value = try parser.hasSection("Definition") ? parser.getEx("Definition", name, vars: passedOptions) : nil
        combinedCache[name] = value
        return value
    }

    /// `getCombined`: definition + init options with `<tag>`s substituted (conditional ones ignored).
    /// A substitution error without a place is placed in `file`.
    mutating func combined(ignore: Set<String> = []) throws -> OrderedOptions {
        let options = definitionOptions.merging(initOptions)
        if options.isEmpty { return options }
        var ignored = ignore
        for name in options.names {
            if let (base, _) = ConfigParserWithIncludes.splitConditional(name) { ignored.insert(base) }
        }
        var copy = self
        do {
            let result = try TagSubstitution.substituteRecursiveTags(options, ignore: ignored) { try copy.combinedOption($0) }
            combinedCache = copy.combinedCache
            return result
        } catch var error as ConfigError {
            if error.file == nil { error.file = file }
            throw error
        }
    }
}

/// "Did you mean …?" for a filter or action name that has no file.
enum NameSuggestions {
    /// "filter 'sshdd' (jail 'sshd') not found: no sshdd.conf or sshdd.local in …/filter.d; did you
    /// mean 'sshd'?" — `kind` is `filter` or `action`, looked for in `<configDirectory>/<kind>.d`.
    static func notFound(_ kind: String, _ name: String, jail: String?, configDirectory: String,
                         at reference: SourceLocation?) -> ConfigError {
        let directory = configDirectory + "/" + kind + ".d"
        let jailPhrase = jail.map { " (jail '\($0)')" } ?? ""
        return ConfigError(at: reference, "\(kind) '\(name)'\(jailPhrase) not found: no \(name).conf or \(name).local in \(directory)"
            + phrase(closest(to: name, among: available(in: directory))))
    }

    /// Names of `*.conf`/`*.local` files in `directory` (without extension).
    static func available(in directory: String, extensions: [String] = ["conf", "local"]) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var result = Set<String>()
        for name in names {
            let ext = (name as NSString).pathExtension
            if extensions.contains(ext) { result.insert((name as NSString).deletingPathExtension) }
        }
        return result.sorted()
    }

    /// Up to three closest names: containment first, then small edit distance.
    static func closest(to name: String, among candidates: [String]) -> [String] {
        let lower = name.lowercased()
        let scored: [(String, Int)] = candidates.compactMap { candidate in
            let c = candidate.lowercased()
            if c.contains(lower) || lower.contains(c) { return (candidate, abs(c.count - lower.count) / 4) }
            let d = distance(lower, c)
            return d <= max(2, lower.count / 3) ? (candidate, d) : nil
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(3).map(\.0)
    }

    static func phrase(_ suggestions: [String]) -> String {
        guard !suggestions.isEmpty else { return "" }
        return "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "?"
    }

    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
