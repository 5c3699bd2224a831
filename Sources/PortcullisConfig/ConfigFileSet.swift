import Foundation

/// Which files make up one configuration unit (`jail`, `fail2ban`, `filter.d/sshd`, …) and in
/// what order they are read — later files override earlier ones:
///
/// 1. `X.conf`, 2. `X.d/*.conf` (sorted), 3. `X.local`, 4. `X.d/*.local` (sorted);
/// each file followed by its own `.local` if it has one and it is not listed already;
/// each file's `[INCLUDES] before = …` read before it and `after = …` after it
/// (relative to the including file's folder, each again with its `.local`).
public enum ConfigFileSet {
    /// The candidate files of unit `name` under `baseDirectory` that exist (steps 1–4, no includes).
    public static func unitFiles(named name: String, in baseDirectory: String) -> [String] {
        let base = (baseDirectory.hasSuffix("/") ? String(baseDirectory.dropLast()) : baseDirectory) + "/" + name
        var files = [base + ".conf"]
        files += sortedGlob(directory: base + ".d", suffix: ".conf")
        files.append(base + ".local")
        files += sortedGlob(directory: base + ".d", suffix: ".local")
        return files.filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// Every file to read for `files`, in reading order, with `.local` companions and includes.
    public static func withIncludes(_ files: [String], cache: IniFileCache) throws -> [String] {
        try includes(files, seen: [], cache: cache)
    }

    private static func includes(_ files: [String], seen: [String], cache: IniFileCache) throws -> [String] {
        var result: [String] = []
        for file in withLocals(files) {
            result += try includesOf(file, seen: seen, cache: cache)
        }
        return result
    }

    /// `_expandConfFilesWithLocal`: each file followed by its `.local` when it exists and is not listed.
    static func withLocals(_ files: [String]) -> [String] {
        var result: [String] = []
        for file in files {
            result.append(file)
            let local = (file as NSString).deletingPathExtension + ".local"
            if !files.contains(local), FileManager.default.fileExists(atPath: local) { result.append(local) }
        }
        return result
    }

    private static func includesOf(_ resource: String, seen: [String], cache: IniFileCache) throws -> [String] {
        guard let ini = try cache.file(at: resource) else { return [] }
        let directory = (resource as NSString).deletingLastPathComponent
        var before: [String] = [], after: [String] = []
        if ini.sections.contains(where: { $0.name == "INCLUDES" }) {
            let single = ConfigParserWithIncludes(files: [ini])
            for (option, isBefore) in [("before", true), ("after", false)] {
                guard let value = try single.get("INCLUDES", option) else { continue }
                for entry in value.components(separatedBy: "\n") where !entry.isEmpty {
                    let path = entry.hasPrefix("/") ? entry : directory + "/" + entry
                    if seen.contains(path) { continue }
                    let found = try includes([path], seen: seen + [resource], cache: cache)
                    if isBefore { before += found } else { after += found }
                }
            }
        }
        return before + [resource] + after
    }

    static func sortedGlob(directory: String, suffix: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }
            .sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            .map { directory + "/" + $0 }
    }
}

/// Parsed files by path, so `filter.d/common.conf` is parsed once however many filters include it
/// (fail2ban shares them the same way). Not thread-safe: one cache per reading pass.
public final class IniFileCache {
    private var files: [String: IniFile?] = [:]
    public init() {}

    /// The parsed file, or nil when it does not exist or is not a regular file (fail2ban skips those).
    public func file(at path: String) throws -> IniFile? {
        if let cached = files[path] { return cached }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            files[path] = .some(nil)
            return nil
        }
        let parsed = try IniFile(path: path)
        files[path] = parsed
        return parsed
    }
}
