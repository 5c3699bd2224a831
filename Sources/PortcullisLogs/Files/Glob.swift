#if canImport(Glibc)
import Glibc
#endif

/// Shell-style expansion of a `logpath` glob, as fail2ban does when a jail starts.
enum Glob {
    /// True when `pattern` has glob characters; a plain path is watched even while missing.
    static func isPattern(_ pattern: String) -> Bool {
        pattern.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// The existing non-folder paths matching `pattern`, sorted. Dangling symlinks are left
    /// out (fail2ban warns about them and skips them too).
    static func expand(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths = [String]()
        for i in 0..<Int(result.gl_pathc) {
            guard let cString = result.gl_pathv[i] else { continue }
            let path = String(cString: cString)
            if case .success(let status) = FileStatus.of(path: path), status.isRegular { paths.append(path) }
        }
        return paths
    }
}
