import Foundation
import PortcullisConfig
import PortcullisFilter

/// Everything `portcullis config` learns about a tree: settings, jails, errors, warnings.
struct ConfigCheck {
    var settings: FailBanSettings?
    var jails: [JailDefinition] = []
    var errors: [ConfigError] = []
    var warnings: [ConfigError] = []

    /// What to print on stdout when the tree is sound.
    enum Output { case verdict, dump, json }

    /// All commands, as `fail2ban-client -d` orders them: settings, each jail, then `start`s.
    var stream: [StreamCommand] {
        var s = settings?.stream ?? []
        for jail in jails { s += jail.stream }
        for jail in jails { s.append(["start", .string(jail.name)]) }
        return s
    }

    static func run(configDirectory: String, forceEnable: Bool, allowMissingLogs: Bool = true) -> ConfigCheck {
        var check = ConfigCheck()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: configDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            check.errors.append(ConfigError(file: configDirectory, "base configuration directory does not exist"))
            return check
        }
        let cache = IniFileCache()
        do { check.settings = try FailBanSettings.read(configDirectory: configDirectory, cache: cache) }
        catch let e as ConfigError { check.errors.append(e) } catch { check.errors.append(ConfigError("\(error)")) }
        do {
            var reader = try JailsReader(configDirectory: configDirectory, cache: cache)
            for outcome in reader.readJails(forceEnable: forceEnable, allowMissingLogs: allowMissingLogs) {
                switch outcome.result {
                case .success(let jail?):
                    check.jails.append(jail)
                    check.warnings += jail.warnings
                    for p in jail.pythonActions {
                        check.errors.append(ConfigError(file: p.path, "jail '\(jail.name)': Python action '\(p.name)' is not supported by Portcullis"))
                    }
                    check.errors += regexErrors(jail)
                case .success(nil): break
                case .failure(let e): check.errors.append(e)
                }
            }
        } catch let e as ConfigError { check.errors.append(e) } catch { check.errors.append(ConfigError("\(error)")) }
        return check
    }

    /// What `portcullis config` and `fail2ban-client -t`/`-d` print: every warning and error on
    /// stderr, then — only when there is no error — the OK line, the dump or the JSON on stdout.
    /// Returns the exit status: 0, or 255 when there are errors.
    func report(_ output: Output) throws -> Int32 {
        for warning in warnings { Self.printError("WARNING: \(warning)") }
        if !errors.isEmpty {
            for error in errors { Self.printError("ERROR: \(error)") }
            return 255
        }
        switch output {
        case .verdict: print("OK: configuration test is successful")
        case .dump: for command in stream { print(StreamValue.list(command).pythonRepr) }
        case .json: print(try Self.json(self))
        }
        return 0
    }

    private static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func json(_ check: ConfigCheck) throws -> String {
        struct Action: Encodable { var name, actionName, file: String; var commands: [String: String]; var initOptions: [String: String] }
        struct Filter: Encodable { var name: String; var file: String?; var failregex, ignoreregex: [String]; var prefregex, datepattern: String?; var maxlines: Int?; var journalmatch: [String] }
        struct Jail: Encodable {
            var name: String; var enabled: Bool; var backend: String; var filter: Filter?; var actions: [Action]
            var logpath: [String]; var maxretry: Int?; var findtime, bantime: String?; var ignoreip: [String]
            var options: [String: String]; var stream: [StreamCommand]
        }
        struct Root: Encodable { var settings: [String: String]; var jails: [Jail] }
        func dict(_ o: OrderedOptions) -> [String: String] { Dictionary(uniqueKeysWithValues: o.map { ($0.0, $0.1) }) }
        let jails = check.jails.map { j in
            Jail(name: j.name, enabled: j.enabled, backend: j.backend,
                 filter: j.filter.map { Filter(name: $0.name, file: $0.file, failregex: $0.failRegex, ignoreregex: $0.ignoreRegex, prefregex: $0.prefRegex, datepattern: $0.datePattern, maxlines: $0.maxLines, journalmatch: $0.journalMatch) },
                 actions: j.actions.map { Action(name: $0.name, actionName: $0.actionName, file: $0.file, commands: dict($0.commands), initOptions: dict($0.initOptions)) },
                 logpath: j.logPath, maxretry: j.maxRetry, findtime: j.findTime, bantime: j.banTime, ignoreip: j.ignoreIP,
                 options: dict(j.options), stream: j.stream)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Root(settings: check.settings.map { dict($0.options) } ?? [:], jails: jails))
        return String(decoding: data, as: UTF8.self)
    }
}

extension ConfigCheck {
    /// Compiles a jail's filter (failregex, ignoreregex, prefregex, datepattern) as the daemon
    /// will, so a bad regex fails the check with its file and PCRE2's offset.
    static func regexErrors(_ jail: JailDefinition) -> [ConfigError] {
        var options = LineFilter.Options()
        guard let filter = jail.filter else { return [] }
        if let useDns = jail.usedns { options.useDns = useDns }
        do {
            _ = try LineFilter(definition: filter, options: options, timeZone: jail.logTimezone)
            return []
        } catch {
            return [ConfigError(file: error.file ?? filter.file, "jail '\(jail.name)': \(error.option) #\(error.index): \(error.message)")]
        }
    }
}
