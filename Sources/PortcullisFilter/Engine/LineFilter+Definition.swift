import PortcullisConfig

/// Which regex of a filter definition could not be compiled.
public struct FilterCompileError: Error, CustomStringConvertible, Sendable {
    /// The filter file, when the definition came from one.
    public let file: String?
    /// `failregex`, `ignoreregex`, `prefregex` or `datepattern`.
    public let option: String
    /// 1-based position among the option's lines.
    public let index: Int
    public let message: String
    public var description: String {
        let place = file.map { "\($0): " } ?? ""
        return "\(place)\(option) #\(index): \(message)"
    }
}

extension LineFilter {
    /// Compiles a resolved filter definition. `maxLines`, `datePattern` and `timeZone` override
    /// the definition's own values (fail2ban-regex's `-L`, `-d`, `--timezone`; a jail's options).
    public convenience init(definition: FilterDefinition, options: Options = Options(),
                            maxLines: Int? = nil, datePattern: String? = nil, timeZone: String? = nil) throws(FilterCompileError) {
        let lines = max(1, maxLines ?? definition.maxLines ?? 1)
        func compile(_ regex: String, _ option: String, _ index: Int, multiline: Bool) throws(FilterCompileError) -> FilterRegex {
            do {
                return try FilterRegex(regex, multiline: multiline, useDns: options.useDns)
            } catch {
                throw FilterCompileError(file: definition.file, option: option, index: index, message: error.message)
            }
        }
        var pref: FilterRegex? = nil
        if let p = definition.prefRegex, !p.isEmpty { pref = try compile(p, "prefregex", 1, multiline: false) }
        var fails: [FilterRegex] = []
        for (i, r) in definition.failRegex.enumerated() {
            let regex = try compile(r, "failregex", i + 1, multiline: lines > 1)
            if !regex.hasFailureIDGroup && !(pref?.hasFailureIDGroup ?? false) {
                throw FilterCompileError(file: definition.file, option: "failregex", index: i + 1,
                                         message: "no failure-id group (<HOST>, <ADDR>, <F-ID>, …) in '\(r)'")
            }
            fails.append(regex)
        }
        var ignores: [FilterRegex] = []
        for (i, r) in definition.ignoreRegex.enumerated() {
            ignores.append(try compile(r, "ignoreregex", i + 1, multiline: false))
        }
        let detector: DateDetector
        do {
            detector = try DateDetector(definition: definition, datePattern: datePattern, timeZone: timeZone)
        } catch {
            throw FilterCompileError(file: definition.file, option: "datepattern", index: 1, message: "\(error)")
        }
        self.init(prefRegex: pref, failRegexes: fails, ignoreRegexes: ignores, maxLines: lines,
                  dateDetector: detector, options: options)
    }
}
