import Testing
import Foundation
@testable import PortcullisActions
import PortcullisConfig

/// `command(…)` and `property(…)` give what `fail2ban-client -d` sends for each action, so
/// `get <jail> action <act> actionban` prints the same text as fail2ban.
@Suite struct Fail2banClientDumpTests {
    static let tools: (client: String, python: String)? = {
        let client = ["/usr/bin/fail2ban-client", "/usr/local/bin/fail2ban-client"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let client, let python else { return nil }
        return (client, python)
    }()

    /// `fail2ban-client -d`'s action settings: jail → action → [(option, value)].
    static func dumpedActions(configDirectory: String) throws -> [String: [String: [(String, Any)]]] {
        let tools = try #require(Self.tools)
        let script = """
            import ast, json, subprocess, sys
            out = subprocess.run([sys.argv[1], '-c', sys.argv[2], '-d'], capture_output=True, text=True).stdout
            for line in out.splitlines():
                if line.startswith('['):
                    print(json.dumps(ast.literal_eval(line)))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tools.python)
        process.arguments = ["-c", script, tools.client, configDirectory]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var result: [String: [String: [(String, Any)]]] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let command = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any],
                  command.count >= 5, command[2] as? String == "action",
                  let jail = command[1] as? String, let action = command[3] as? String else { continue }
            if command[0] as? String == "multi-set", let pairs = command[4] as? [[Any]] {
                result[jail, default: [:]][action, default: []] += pairs.compactMap { pair in
                    (pair.first as? String).map { ($0, pair[1]) }
                }
            } else if command[0] as? String == "set", command.count == 6, let option = command[4] as? String {
                result[jail, default: [:]][action, default: []].append((option, command[5]))
            }
        }
        return result
    }

    @Test(.enabled(if: tools != nil, "fail2ban-client or python3 not installed"))
    func commandTextsMatchFail2banClientDump() async throws {
        let config = try StockConfig(jailLocal: """
            [sshd]
            enabled = true
            action = iptables-multiport[name=ssh4, port="ssh,2222"]
                     nftables[name=x, blocktype=drop]
                     sendmail-whois-ipjailmatches
                     %(action_mwl)s
                     iptables-ipset[name=set, actionstart_on_demand=false]
            [nginx-botsearch]
            enabled = true
            logpath = /dev/null
            action = nginx-block-map
                     hostsdeny
                     abuseipdb[abuseipdb_apikey=k, abuseipdb_category=18]
            """)
        defer { config.remove() }
        let dumped = try Self.dumpedActions(configDirectory: config.path)
        var compared = 0
        for jail in ["sshd", "nginx-botsearch"] {
            let definitions = try config.actions(of: jail)
            #expect(Set(definitions.map(\.actionName)) == Set(dumped[jail]?.keys.map { $0 } ?? []))
            for definition in definitions {
                let action = CommandAction(definition: definition, log: nil)
                for (option, value) in dumped[jail]?[definition.actionName] ?? [] {
                    let expected: String
                    if let flag = value as? Bool { expected = flag ? "True" : "False" } else { expected = "\(value)" }
                    let ours = CommandAction.operations.contains(option) ? await action.command(option) : await action.property(option)
                    #expect(ours == expected, "\(jail)/\(definition.actionName) \(option)")
                    compared += 1
                }
            }
        }
        #expect(compared > 100)
    }
}
