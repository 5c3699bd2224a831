import Testing
import PortcullisConfig
import PortcullisTestSupport
@testable import PortcullisJail

@Suite struct JailSettingsTests {
    @Test func memberwiseDefaults() {
        let s = JailSettings()
        #expect(s.maxRetry == 5 && s.findTime == 600 && s.banTime == 600 && s.maxMatches == 5 && s.increment == nil)
        #expect(JailSettings(maxRetry: 3).maxMatches == 3)  // maxmatches follows maxretry
        #expect(JailSettings(maxRetry: 3, maxMatches: 10).maxMatches == 10)
    }

    @Test func fromOptions() throws {
        let s = try JailSettings(options: OrderedOptions([
            ("maxretry", "3"), ("maxmatches", "7"), ("findtime", "1h"), ("bantime", "1d12h"),
            ("bantime.increment", "True"), ("bantime.maxtime", "5w"), ("bantime.overalljails", "true"),
        ]))
        #expect(s.maxRetry == 3 && s.maxMatches == 7 && s.findTime == 3600 && s.banTime == 129600)
        let inc = try #require(s.increment)
        #expect(inc.baseBanTime == 129600 && inc.maxTime == 5 * 7 * 86400 && inc.overallJails)
    }

    @Test func serverDefaultsWhenUnset() throws {
        // fail2ban's server keeps maxretry 3 and maxmatches 5 when a jail sets neither.
        let s = try JailSettings(options: OrderedOptions())
        #expect(s.maxRetry == 3 && s.maxMatches == 5 && s.findTime == 600 && s.banTime == 600 && s.increment == nil)
    }

    @Test func banTimeIsWholeSecondsAndMayBePermanent() throws {
        #expect(try JailSettings(options: OrderedOptions([("bantime", "90.7")])).banTime == 90)
        let permanent = try JailSettings(options: OrderedOptions([("bantime", "-1")]))
        #expect(permanent.banTime == -1 && JailSettings.isPermanent(permanent.banTime))
        #expect(permanent.maxBanTime == -1)
    }

    @Test func settingBanTimeMovesTheIncrementBase() {
        var s = JailSettings(banTime: 600, increment: BanTimeIncrement(baseBanTime: 1))
        #expect(s.increment?.baseBanTime == 600)
        s.banTime = 3600
        #expect(s.increment?.baseBanTime == 3600)
        #expect(s.increment?.banTime(banCount: 1, lastBanTime: nil, random: 0) == 7200)
    }

    @Test func maxBanTime() throws {
        #expect(JailSettings(banTime: 600).maxBanTime == 600)
        #expect(JailSettings(banTime: 600, increment: BanTimeIncrement()).maxBanTime == -1)
        #expect(JailSettings(banTime: 600, increment: BanTimeIncrement(maxTime: 86400)).maxBanTime == 86400)
    }

    @Test func badValuesNameJailOptionValueAndPlace() {
        let place = SourceLocation(file: "/etc/fail2ban/jail.local", line: 12)
        let cases: [(String, String, String)] = [
            ("bantime", "forever", "not a duration"),
            ("findtime", "10 minutes ago", "not a duration"),
            ("maxretry", "five", "not an integer"),
            ("maxmatches", "-1", "must be 0 or more"),
        ]
        for (option, value, reason) in cases {
            do {
                _ = try JailSettings(options: OrderedOptions([(option, value)]), jail: "sshd", locations: [option: place])
                Issue.record("\(option) = \(value) was accepted")
            } catch {
                #expect(error.jail == "sshd" && error.option == option && error.value == value && error.location == place)
                #expect(error.reason.contains(reason))
                #expect(error.description.hasPrefix("/etc/fail2ban/jail.local:12: jail 'sshd': invalid \(option) '\(value)'"))
            }
        }
    }

    @Test func fromAJailDefinition() throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        try tmp.write("jail.conf", """
        [DEFAULT]
        maxretry = 4
        maxmatches = %(maxretry)s
        bantime = 1h
        findtime = 10m

        [sshd]
        enabled = true
        bantime.increment = true
        bantime.factor = 2
        bantime.maxtime = 1w
        ignoreip = 127.0.0.1/8 ::1, 10.0.0.0/255.255.0.0 gateway.example
        ignoreself = false
        ignorecache = key="<ip>", max-time=1m

        [badtime]
        enabled = true
        bantime = forever

        [badformula]
        enabled = true
        bantime.increment = true
        bantime.formula = ban.Time * foo

        [badignore]
        enabled = true
        ignoreip = 10.0.0.0/33
        """)
        var reader = try JailsReader(configDirectory: tmp.path)
        let sshd = try #require(try reader.jail(named: "sshd"))
        let s = try JailSettings(definition: sshd)
        #expect(s.maxRetry == 4 && s.maxMatches == 4 && s.banTime == 3600 && s.findTime == 600)
        #expect(s.increment?.factor == 2 && s.increment?.maxTime == 604800)
        let ignore = try IgnoreList(definition: sshd)
        #expect(!ignore.ignoreSelf)
        #expect(ignore.entries == ["127.0.0.0/8", "10.0.0.0/16", "gateway.example", "::1"])
        #expect(try IgnoreCache.Settings(definition: sshd) == IgnoreCache.Settings(key: "<ip>", maxCount: 100, maxTime: 60))

        let badTime = try #require(try reader.jail(named: "badtime"))
        #expect(try IgnoreCache.Settings(definition: badTime) == nil)
        #expect(throws: JailSettingsError.self) { try JailSettings(definition: badTime) }
        do { _ = try JailSettings(definition: badTime) } catch {
            #expect(error.jail == "badtime" && error.option == "bantime")
            #expect(error.location?.file.hasSuffix("jail.conf") == true && error.location?.line == 18)
        }
        let badFormula = try #require(try reader.jail(named: "badformula"))
        do {
            _ = try JailSettings(definition: badFormula)
            Issue.record("accepted an unknown name")
        } catch {
            #expect(error.option == "bantime.formula" && error.jail == "badformula" && error.location?.line == 23)
            #expect(error.reason.contains("unknown name 'foo'"))
        }
        let badIgnore = try #require(try reader.jail(named: "badignore"))
        do {
            _ = try IgnoreList(definition: badIgnore)
            Issue.record("accepted /33")
        } catch {
            #expect(error.option == "ignoreip" && error.value == "10.0.0.0/33" && error.jail == "badignore" && error.location?.line == 27)
        }
    }
}
