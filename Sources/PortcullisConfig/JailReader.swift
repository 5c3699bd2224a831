import Foundation

/// Resolves one jail section of the merged `jail.conf`/`jail.d`/`jail.local` the way fail2ban's
/// `JailReader` does, in its order: first `enabled`/`backend`/`filter`; then the filter is read
/// and its options exposed to the jail as `known/…` (so `failregex = %(known/failregex)s …`
/// works); then all jail options; then each action with the jail's values.
public enum JailReader {
    /// The fail2ban version Portcullis reproduces (`%(fail2ban_version)s`).
    public static let fail2banVersion = "1.0.2"

    enum Kind { case string, int, bool }

    /// fail2ban's `JailReader._configOpts` (its order), then the filter options.
    static let jailOptions: [(String, Kind)] = [
        ("enabled", .bool), ("backend", .string), ("maxretry", .int), ("maxmatches", .int),
        ("findtime", .string), ("bantime", .string), ("bantime.increment", .bool), ("bantime.factor", .string),
        ("bantime.formula", .string), ("bantime.multipliers", .string), ("bantime.maxtime", .string),
        ("bantime.rndtime", .string), ("bantime.overalljails", .bool), ("ignorecommand", .string),
        ("ignoreself", .bool), ("ignoreip", .string), ("ignorecache", .string), ("filter", .string),
        ("logtimezone", .string), ("logencoding", .string), ("logpath", .string), ("action", .string),
        ("usedns", .string), ("prefregex", .string), ("ignoreregex", .string), ("failregex", .string),
        ("maxlines", .int), ("datepattern", .string), ("journalmatch", .string),
    ]
    static let defaults: [String: StreamValue] = ["enabled": .bool(false), "backend": "auto", "filter": "", "action": ""]
    static let notSentOptions: Set<String> = Set(["action", "filter", "enabled"] + FilterReader.definitionOptionNames)

    /// fail2ban's `_as_bool`.
    public static func asBool(_ value: String) -> Bool {
        ["1", "on", "true", "yes"].contains(value.lowercased())
    }

    /// A boolean read strictly (surrounding blanks allowed): nil for anything but the words
    /// `asBool` knows and their opposites, for Portcullis' own options where a typo must not
    /// quietly mean false.
    public static func strictBool(_ value: String) -> Bool? {
        let word = value.trimmingCharacters(in: .whitespaces).lowercased()
        if asBool(word) { return true }
        return ["0", "off", "false", "no"].contains(word) ? false : nil
    }

    /// Python's `str()` of a typed option, as passed on to filters and actions.
    static func pythonString(_ value: StreamValue) -> String {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return b ? "True" : "False"
        case .list(let l): return l.map(\.pythonRepr).joined(separator: ", ")
        }
    }

    /// Reads one jail. Returns nil when it is not enabled (and `forceEnable` is false).
    public static func read(jail name: String, parser: inout ConfigParserWithIncludes, configDirectory: String,
                            forceEnable: Bool = false, allowMissingLogs: Bool = true,
                            cache: IniFileCache) throws -> JailDefinition? {
        guard parser.hasSection(name) else { throw ConfigError("jail '\(name)' not found among the configured jails") }
        var warnings: [ConfigError] = []

        func typedOptions(_ list: [(String, Kind)]) throws -> [(String, StreamValue)] {
            var result: [(String, StreamValue)] = []
            for (option, kind) in list {
                guard let text = try parser.get(name, option) else {
                    if let d = defaults[option] { result.append((option, d)) }
                    continue
                }
                switch kind {
                case .string: result.append((option, .string(text)))
                case .bool: result.append((option, .bool(asBool(text))))
                case .int:
                    if let n = Int(text.trimmingCharacters(in: .whitespaces)) { result.append((option, .int(n))) }
                    else {
                        warnings.append(ConfigError(at: parser.rawValue(name, option)?.location,
                            "wrong value for '\(option)' in jail '\(name)': '\(text)' is not an integer; using the default"))
                        if let d = defaults[option] { result.append((option, d)) }
                    }
                }
            }
            return result
        }
        func asOptions(_ typed: [(String, StreamValue)]) -> OrderedOptions {
            OrderedOptions(typed.map { ($0.0, pythonString($0.1)) })
        }

        parser.mergeDefaults([("fail2ban_version", fail2banVersion), ("fail2ban_confpath", configDirectory)])
        let first = try typedOptions([("enabled", .bool), ("backend", .string), ("filter", .string)])
        let firstOptions = asOptions(first)
        let enabled = first.first { $0.0 == "enabled" }?.1 == .bool(true)
        guard enabled || forceEnable else { return nil }
        let backend = firstOptions["backend"] ?? "auto"

        // Filter.
        var filterReader: FilterReader? = nil
        var filterSpec: OptionSpec? = nil
        let filterText = firstOptions["filter"] ?? ""
        let filterLocation = parser.rawValue(name, "filter")?.location
        if !filterText.isEmpty {
            do { filterSpec = try OptionSpec.parse(filterText) } catch let e as OptionSpec.SyntaxError {
                throw ConfigError(at: filterLocation, "invalid filter definition '\(filterText)' in jail '\(name)': \(e.description)")
            }
            var reader = try FilterReader(name: filterSpec!.name, options: filterSpec!.options, jailName: name,
                                          configDirectory: configDirectory, reference: filterLocation, cache: cache)
            reader.applyAutoOptions(backend: backend)
            try reader.readOptions(jailOptions: firstOptions, all: true)
            parser.mergeSection(name, try reader.combined(), prefix: "known/")
            filterReader = reader
        } else {
            warnings.append(ConfigError(at: parser.sectionTables[name]?.entries.first?.value.location, "no filter set for jail '\(name)'"))
        }

        // All jail options (known/… now resolvable).
        let typed = try typedOptions(jailOptions)
        let options = asOptions(typed)
        var stream: [StreamCommand] = []
        var filter: FilterDefinition? = nil
        if var reader = filterReader {
            try reader.readOptions(jailOptions: options)
            let combined = try reader.combined()
            stream = fillStream(combined, jail: name)
            var effective = combined
            for option in FilterReader.definitionOptionNames { if let v = options[option] { effective[option] = v } }
            filter = try FilterDefinition(name: filterSpec!.name, file: reader.file, resolved: effective)
        }
        stream = fillStream(asOptions(typed.filter { FilterReader.definitionOptionNames.contains($0.0) }),
                            jail: name, into: stream)

        // Actions.
        var actions: [ActionDefinition] = []
        var pythonActions: [PythonActionReference] = []
        let actionLocation = parser.rawValue(name, "action")?.location
        for entry in OptionSpec.split(options["action"] ?? "") {
            let spec: OptionSpec
            do { spec = try OptionSpec.parse(entry) } catch let e as OptionSpec.SyntaxError {
                throw ConfigError(at: actionLocation, "invalid action definition '\(entry)' in jail '\(name)': \(e.description)")
            }
            if spec.name.hasSuffix(".py") {
                var opts = spec.options
                let actname = opts["actname"] ?? (spec.name as NSString).deletingPathExtension
                opts["actname"] = nil
                pythonActions.append(PythonActionReference(name: actname, path: configDirectory + "/action.d/" + spec.name, options: opts))
                continue
            }
            var reader = try ActionReader(name: spec.name, options: spec.options, jailName: name,
                                          configDirectory: configDirectory, reference: actionLocation, cache: cache)
            try reader.readOptions(jailOptions: options)
            actions.append(try reader.definition())
        }

        // The rest of the stream, in fail2ban's order.
        var logStream: [StreamCommand] = []
        var logPaths: [String] = []
        for (option, value) in typed {
            switch option {
            case "logpath":
                let text = pythonString(value)
                logPaths = text.components(separatedBy: "\n")
                if backend.hasPrefix("systemd") { continue }
                var found = 0
                for line in logPaths {
                    var path = line, tail = "head"
                    if let space = line.lastIndex(of: " ") {
                        path = String(line[..<space]); tail = String(line[line.index(after: space)...])
                    }
                    let matches = Glob.expand(path)
                    if matches.isEmpty { warnings.append(ConfigError(at: parser.rawValue(name, "logpath")?.location, "no file(s) found for glob \(path)")) }
                    for p in matches { found += 1; logStream.append(["set", .string(name), "addlogpath", .string(p), .string(tail)]) }
                }
                if found == 0 {
                    let e = ConfigError(at: parser.rawValue(name, "logpath")?.location, "have not found any log file for \(name) jail")
                    if !allowMissingLogs { throw e }
                    warnings.append(e)
                }
            case "backend": break
            case "ignoreip":
                stream.append(["set", .string(name), "addignoreip"] + OptionSpec.splitWords(pythonString(value)).map { .string($0) })
            default:
                if !notSentOptions.contains(option) { stream.append(["set", .string(name), .string(option), value]) }
            }
        }
        stream += logStream
        for action in actions { stream += actionStream(action) }
        for p in pythonActions {
            stream.append(["set", .string(name), "addaction", .string(p.name), .string(p.path), .string(pythonJSON(p.options))])
        }
        stream.insert(["add", .string(name), .string(backend)], at: 0)

        var raw: [String: ConfigValue] = [:]
        for (k, v) in parser.defaults.entries { raw[k] = v }
        for (k, v) in parser.sectionTables[name]?.entries ?? [] where !k.hasPrefix("known/") || v.location != nil { raw[k] = v }
        var banTimeOptions = OrderedOptions()
        for (k, v) in options where k.hasPrefix("bantime.") { banTimeOptions[k] = v }
        func int(_ k: String) -> Int? { if case .int(let i)? = typed.first(where: { $0.0 == k })?.1 { return i }; return nil }
        return JailDefinition(
            name: name, location: parser.sectionTables[name]?.entries.first?.value.location, enabled: enabled,
            filterSpec: filterSpec, filter: filter, actions: actions, pythonActions: pythonActions,
            logPath: logPaths.filter { !$0.isEmpty }, backend: backend, maxRetry: int("maxretry"), maxMatches: int("maxmatches"),
            findTime: options["findtime"], banTime: options["bantime"], banTimeOptions: banTimeOptions,
            ignoreIP: OptionSpec.splitWords(options["ignoreip"] ?? ""), ignoreSelf: options["ignoreself"].map { $0 == "True" },
            ignoreCommand: options["ignorecommand"], usedns: filter?.options["usedns"] ?? options["usedns"],
            logEncoding: options["logencoding"], logTimezone: options["logtimezone"], options: options,
            rawOptions: raw, warnings: warnings, stream: stream)
    }

    /// fail2ban's `FilterReader._fillStream`.
    static func fillStream(_ options: OrderedOptions, jail: String, into existing: [StreamCommand] = []) -> [StreamCommand] {
        var stream = existing
        var priorityIndex = 0
        for (option, value) in options {
            switch option {
            case "failregex", "ignoreregex":
                let multi = value.components(separatedBy: "\n").filter { !$0.isEmpty }
                if multi.count > 1 { stream.append(["multi-set", .string(jail), .string("add" + option), .list(multi.map { .string($0) })]) }
                else if let one = multi.first { stream.append(["set", .string(jail), .string("add" + option), .string(one)]) }
            case "usedns", "maxlines", "prefregex":
                let v: StreamValue = option == "maxlines" ? (Int(value).map { .int($0) } ?? .string(value)) : .string(value)
                stream.insert(["set", .string(jail), .string(option), v], at: option == "usedns" ? 0 : priorityIndex)
                priorityIndex += 1
            case "datepattern":
                stream.append(["set", .string(jail), "datepattern", .string(value)])
            case "journalmatch":
                for match in value.components(separatedBy: "\n") where !match.isEmpty {
                    stream.append(["set", .string(jail), "addjournalmatch"] + ShellWords.split(match).map { .string($0) })
                }
            default: break
            }
        }
        return stream
    }

    static func actionStream(_ action: ActionDefinition) -> [StreamCommand] {
        let jail = StreamValue.string(action.jailName), actname = StreamValue.string(action.actionName)
        var multi: [StreamValue] = []
        for (option, value) in action.options where ActionReader.definitionOptionNames.contains(option) {
            let v: StreamValue = ActionReader.booleanOptions.contains(option) ? .bool(asBool(value)) : .string(value)
            multi.append(.list([.string(option), v]))
        }
        for (option, value) in action.initOptions { multi.append(.list([.string(option), .string(value)])) }
        var stream: [StreamCommand] = [["set", jail, "addaction", actname]]
        if multi.count > 1 { stream.append(["multi-set", jail, "action", actname, .list(multi)]) }
        else if case .list(let pair)? = multi.first { stream.append(["set", jail, "action", actname] + pair) }
        return stream
    }

    static func pythonJSON(_ options: OrderedOptions) -> String {
        "{" + options.map { "\(JSONText.quoted($0.0, asciiOnly: true)): \(JSONText.quoted($0.1, asciiOnly: true))" }.joined(separator: ", ") + "}"
    }
}

/// Path globbing for `logpath` (Python's `glob.glob`: no hidden files for `*`, dangling links skipped).
enum Glob {
    static func expand(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard glob(pattern, 0, nil, &g) == 0 else { return [] }
        var result: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            if let p = g.gl_pathv[i], let s = String(validatingCString: p), FileManager.default.fileExists(atPath: s) { result.append(s) }
        }
        return result
    }
}

/// `shlex.split` for `journalmatch` lines (quotes and backslashes; no comments).
enum ShellWords {
    static func split(_ text: String) -> [String] {
        var words: [String] = [], current = "", inWord = false
        var quote: Character? = nil
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if let q = quote {
                if c == q { quote = nil }
                else if c == "\\" && q == "\"", text.index(after: i) < text.endIndex, "\"\\$`".contains(text[text.index(after: i)]) {
                    i = text.index(after: i); current.append(text[i])
                } else { current.append(c) }
            } else if c.isWhitespace {
                if inWord { words.append(current); current = ""; inWord = false }
            } else if c == "'" || c == "\"" {
                quote = c; inWord = true
            } else if c == "\\", text.index(after: i) < text.endIndex {
                i = text.index(after: i); current.append(text[i]); inWord = true
            } else { current.append(c); inWord = true }
            i = text.index(after: i)
        }
        if inWord { words.append(current) }
        return words
    }
}
