import Testing
import Foundation
@testable import PortcullisConfig
import PortcullisTestSupport

/// `[API]` in the `fail2ban` unit: off by default, `.local` wins, and the network never gets
/// an unauthenticated listener.
@Suite struct APISettingsTests {
    /// A config directory holding `files` (relative path → contents).
    func tree(_ files: [String: String]) throws -> TemporaryDirectory {
        let tmp = try TemporaryDirectory()
        for (path, text) in files { try tmp.write(path, text) }
        return tmp
    }

    @Test func defaultsAreDisabledOnLoopback() throws {
        let tmp = try tree(["fail2ban.conf": "[Definition]\nloglevel = INFO\n"])
        defer { tmp.remove() }
        let settings = try APISettings.read(configDirectory: tmp.path)
        #expect(settings == APISettings())
        #expect(!settings.enabled && settings.bind == "127.0.0.1" && settings.port == 8710 && settings.token == nil && settings.prefix == "")
        #expect(settings.isLoopback)
    }

    @Test func localOverridesConf() throws {
        let tmp = try tree([
            "fail2ban.conf": "[Definition]\nloglevel = INFO\n\n[API]\nenabled = false\nport = 9000\n",
            "fail2ban.local": "[API]\nenabled = true\nbind = ::1\nprefix = dashboard-path/\n",
        ])
        defer { tmp.remove() }
        let settings = try APISettings.read(configDirectory: tmp.path)
        #expect(settings.enabled)
        #expect(settings.bind == "::1" && settings.isLoopback)
        #expect(settings.port == 9000)
        #expect(settings.prefix == "/dashboard-path")
        #expect(settings.file == tmp.path + "/fail2ban.local" && settings.line == 2)
    }

    @Test func nonLoopbackBindWithoutTokenNamesTheLine() throws {
        let tmp = try tree(["fail2ban.local": "[API]\nenabled = yes\nbind = 0.0.0.0\n"])
        defer { tmp.remove() }
        #expect { try APISettings.read(configDirectory: tmp.path) } throws: { error in
            let e = error as? ConfigError
            return e?.file == tmp.path + "/fail2ban.local" && e?.line == 3
                && e?.message.contains("a bearer token (token = … or tokenfile = …) is required when bind is not a loopback address") == true
        }
        // Disabled, the same bind is not an error: nothing listens.
        try tmp.write("fail2ban.local", "[API]\nenabled = no\nbind = 0.0.0.0\n")
        #expect(try APISettings.read(configDirectory: tmp.path).enabled == false)
    }

    @Test func tokenFileFirstLineIsTheToken() throws {
        let tmp = try tree(["api.token": "  s3cret-token \nsecond line\n"])
        defer { tmp.remove() }
        try tmp.write("fail2ban.local", "[API]\nenabled = true\nbind = ::\ntokenfile = \(tmp.path)/api.token\n")
        let settings = try APISettings.read(configDirectory: tmp.path)
        #expect(settings.token == "s3cret-token")
        #expect(settings.bind == "::" && !settings.isLoopback)

        try tmp.write("fail2ban.local", "[API]\nenabled = true\ntokenfile = \(tmp.path)/missing.token\n")
        #expect { try APISettings.read(configDirectory: tmp.path) } throws: { error in
            (error as? ConfigError)?.line == 3 && (error as? ConfigError)?.message.contains("cannot read tokenfile") == true
        }
    }

    @Test func badValuesAreConfigErrorsWithTheirLine() throws {
        let cases: [(String, String)] = [
            ("port = 70000", "port must be a number from 0 to 65535, got '70000'"),
            ("port = http", "port must be a number from 0 to 65535"),
            ("bind = example.org", "bind must be an IP address"),
            ("prefix = /a b", "prefix must be a URL path"),
            ("token =", "token is empty"),
        ]
        for (line, message) in cases {
            let tmp = try tree(["fail2ban.local": "[API]\nenabled = true\n\(line)\n"])
            defer { tmp.remove() }
            #expect { try APISettings.read(configDirectory: tmp.path) } throws: { error in
                let e = error as? ConfigError
                return e?.line == 3 && e?.file == tmp.path + "/fail2ban.local" && e?.message.contains(message) == true
            }
        }
    }

    @Test func loopbackAddresses() {
        for address in ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"] { #expect(APISettings.isLoopback(address), "\(address)") }
        for address in ["0.0.0.0", "::", "192.0.2.1", "2001:db8::1", "localhost"] { #expect(!APISettings.isLoopback(address), "\(address)") }
    }
}
