import Foundation
import PortcullisConfig
import PortcullisTestSupport

/// A copy of Debian's stock `/etc/fail2ban` with a `jail.local` of the test's own, read the way the
/// daemon reads it.
struct StockConfig {
    let directory: TemporaryDirectory
    var path: String { directory.url.appendingPathComponent("fail2ban").path }

    init(jailLocal: String) throws {
        directory = try TemporaryDirectory(prefix: "portcullis-actions")
        let target = directory.url.appendingPathComponent("fail2ban")
        try FileManager.default.copyItem(at: try DebianFail2ban.configDirectory(), to: target)
        try directory.write("fail2ban/jail.local", jailLocal)
    }

    /// The actions of `jail` (enabled or not).
    func actions(of jail: String) throws -> [ActionDefinition] {
        var reader = try JailsReader(configDirectory: path)
        guard let definition = try reader.jail(named: jail, forceEnable: true) else { return [] }
        return definition.actions
    }

    /// `jail`'s single action named `name`.
    func action(_ name: String, of jail: String) throws -> ActionDefinition {
        guard let action = try actions(of: jail).first(where: { $0.actionName == name }) else {
            throw Missing(description: "no action \(name) in \(jail): \(try actions(of: jail).map(\.actionName))")
        }
        return action
    }

    /// Writes `action.d/<name>.conf` (a test action).
    func addAction(_ name: String, _ text: String) throws {
        try directory.write("fail2ban/action.d/\(name).conf", text)
    }

    func remove() { directory.remove() }

    struct Missing: Error, CustomStringConvertible { var description: String }
}
