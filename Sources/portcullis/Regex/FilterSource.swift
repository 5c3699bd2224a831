import PortcullisConfig
#if canImport(Glibc)
import Glibc
#endif

/// What fail2ban-regex makes of its FILTER argument: a filter in the config tree
/// (`sshd`, `sshd[mode=aggressive]`), a filter file given by path, or a raw regex.
struct FilterSource {
    enum Kind {
        case treeFilter(name: String, options: OrderedOptions, baseDirectory: String)
        case explicitFile(path: String, options: OrderedOptions)
        case regex(String)
    }

    let argument: String
    let kind: Kind
    let isFailRegex: Bool

    init(argument: String, configDirectory: String, isFailRegex: Bool) {
        self.argument = argument
        self.isFailRegex = isFailRegex
        kind = Self.classify(argument, configDirectory: configDirectory, isFailRegex: isFailRegex)
    }

    private static func classify(_ value: String, configDirectory: String, isFailRegex: Bool) -> Kind {
        guard isFailRegex, looksLikeFilterName(value), let spec = try? OptionSpec.parse(value) else {
            return .regex(value)
        }
        let name = spec.name, options = spec.options
        let hasExtension = name.hasSuffix(".conf") || name.hasSuffix(".local")
        let candidates = hasExtension ? [name] : [name, name + ".conf", name + ".local"]
        var base = configDirectory
        for candidate in candidates {
            var path = candidate
            if !candidate.contains("/") {
                path = lastPathComponent(configDirectory) == "filter.d"
                    ? configDirectory + "/" + candidate : configDirectory + "/filter.d/" + candidate
            } else {
                base = directoryName(candidate)
            }
            guard RegexSession.isRegularFile(path) else { continue }
            if base == configDirectory || lastPathComponent(base) == "filter.d" || (!hasExtension && !name.contains("/")) {
                let root = lastPathComponent(base) == "filter.d" ? directoryName(base) : base
                return .treeFilter(name: stripExtension(lastPathComponent(name)), options: options, baseDirectory: root)
            }
            return .explicitFile(path: path, options: options)
        }
        return .regex(value)
    }

    /// fail2ban-regex's test: `^/{0,3}[\w/_\-.]+(?:\[.*\])?$` (a name or path, maybe with options).
    private static func looksLikeFilterName(_ value: String) -> Bool {
        var s = Substring(value)
        var slashes = 0
        while s.first == "/" && slashes < 3 { s.removeFirst(); slashes += 1 }
        let nameEnd = s.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "/" || $0 == "-" || $0 == ".") } ?? s.endIndex
        guard nameEnd > s.startIndex else { return false }
        let rest = s[nameEnd...]
        return rest.isEmpty || (rest.first == "[" && rest.last == "]")
    }

    var banner: String {
        let type = isFailRegex ? "failregex" : "ignoreregex"
        let padded = String(repeating: " ", count: max(0, 11 - type.count)) + type
        switch kind {
        case .treeFilter(let name, let options, let base):
            var s = "Use \(padded) filter file : \(name), basedir: \(base)\n"
            if !options.isEmpty { s += "Use   filter options : {\(options.map { "'\($0.0)': '\($0.1)'" }.joined(separator: ", "))}\n" }
            return s
        case .explicitFile(let path, _):
            return "Use \(padded) file : \(path)\n"
        case .regex(let r):
            return "Use \(padded) line : \(RegexSession.short(r))\n"
        }
    }

    /// The filter definition: read from the tree or file, or a one-regex definition.
    func load() throws -> FilterDefinition {
        switch kind {
        case .regex(let r):
            return FilterDefinition(name: "regex", failRegex: [r])
        case .treeFilter(let name, let options, let base):
            do {
                return try FilterReader.load(name: name, options: options, configDirectory: base)
            } catch {
                throw RegexSession.Failure(message: "failed to load filter \(argument): \(error)")
            }
        case .explicitFile(let path, let options):
            do {
                return try FilterReader.load(name: path, options: options, configDirectory: directoryName(path))
            } catch {
                throw RegexSession.Failure(message: "failed to load filter \(argument): \(error)")
            }
        }
    }
}

func lastPathComponent(_ path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.last == "/" { p.removeLast() }
    if let slash = p.lastIndex(of: "/") { return String(p[p.index(after: slash)...]) }
    return String(p)
}

func directoryName(_ path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.last == "/" { p.removeLast() }
    guard let slash = p.lastIndex(of: "/") else { return "." }
    return slash == p.startIndex ? "/" : String(p[..<slash])
}

func stripExtension(_ name: String) -> String {
    for ext in [".conf", ".local"] where name.hasSuffix(ext) { return String(name.dropLast(ext.count)) }
    return name
}
