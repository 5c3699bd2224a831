import Foundation

/// Debian's `fail2ban` package, unpacked at test time into a cache folder (never committed):
/// the reference config tree (`etc/fail2ban`) and its sample logs (`…/fail2ban/tests/files/logs`).
///
/// Obtained with `apt-get download fail2ban` and `dpkg -x`, once per machine; later runs reuse it.
public enum DebianFail2ban {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// Root of the unpacked package (contains `etc/` and `usr/`).
    public static func root() throws -> URL {
        try lock.withLock {
            if let cached { return cached }
            let url = try unpack()
            cached = url
            return url
        }
    }

    /// The stock configuration tree: `<root>/etc/fail2ban`.
    public static func configDirectory() throws -> URL {
        try root().appendingPathComponent("etc/fail2ban")
    }

    /// fail2ban's own test folder: `<root>/usr/lib/python3/dist-packages/fail2ban/tests`.
    public static func testsDirectory() throws -> URL {
        try root().appendingPathComponent("usr/lib/python3/dist-packages/fail2ban/tests")
    }

    nonisolated(unsafe) private static var cached: URL?
    private static let lock = NSLock()

    private static func unpack() throws -> URL {
        let cache = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("portcullis-debian-fail2ban")
        let marker = cache.appendingPathComponent("root/.unpacked-v2")
        let root = cache.appendingPathComponent("root")
        if FileManager.default.fileExists(atPath: marker.path) { return root }
        try? FileManager.default.removeItem(at: cache)
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        var download = try Command.run(["apt-get", "download", "-q", "fail2ban"], directory: cache)
        if download.status != 0 {
            // A fresh machine may have no package lists yet.
            _ = try Command.run(["apt-get", "update", "-qq"], directory: cache)
            download = try Command.run(["apt-get", "download", "-q", "fail2ban"], directory: cache)
        }
        guard download.status == 0 else {
            throw Unavailable(description: "apt-get download fail2ban failed: \(download)")
        }
        let debs = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".deb") }
        guard let deb = debs.first else { throw Unavailable(description: "no .deb after apt-get download") }
        let extract = try Command.run(["dpkg", "-x", deb, "root"], directory: cache)
        guard extract.status == 0 else { throw Unavailable(description: "dpkg -x failed: \(extract)") }
        // fail2ban's test filters include `../../../../../../../config/filter.d/common.conf`, the
        // source tree's layout; from the unpacked tests folder that is `<root>/usr/config`.
        try? FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("usr/config").path,
                                                    withDestinationPath: "../etc/fail2ban")
        _ = FileManager.default.createFile(atPath: marker.path, contents: Data())
        return root
    }
}
