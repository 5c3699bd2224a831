import Testing
import PortcullisClient

@Suite struct JSONOutputTests {
    private func json(_ command: String, _ response: ControlValue) -> String? {
        JSONOutput.format(command: command.split(separator: " ").map(String.init), response: response)
    }

    @Test func serverStatus() {
        let reply = ControlValue.pairs([("Number of jail", 3), ("Jail list", "apache-auth, empty, sshd")])
        #expect(json("status", reply) == #"{"number_of_jails":3,"jails":["apache-auth","empty","sshd"]}"#)
        let none = ControlValue.pairs([("Number of jail", 0), ("Jail list", "")])
        #expect(json("status", none) == #"{"number_of_jails":0,"jails":[]}"#)
    }

    @Test func jailStatus() {
        #expect(json("status sshd", BeautifierTests.sshdStatus) == #"{"jail":"sshd","filter":{"currently_failed":0,"total_failed":0,"file_list":["/tmp/f2bref/auth.log","/tmp/f2bref/auth2.log"]},"actions":{"currently_banned":2,"total_banned":2,"banned_ip_list":["1.2.3.4","5.6.7.8"]}}"#)
        let journal = ControlValue.pairs([
            ("Filter", .pairs([("Currently failed", 1), ("Total failed", 4), ("Journal matches", ["_SYSTEMD_UNIT=sshd.service + _COMM=sshd"])])),
            ("Actions", .pairs([("Currently banned", 0), ("Total banned", 0)])),
        ])
        #expect(json("status sshd short", journal) == #"{"jail":"sshd","filter":{"currently_failed":1,"total_failed":4,"journal_matches":["_SYSTEMD_UNIT=sshd.service + _COMM=sshd"]},"actions":{"currently_banned":0,"total_banned":0}}"#)
    }

    @Test func banned() {
        let all: ControlValue = [["sshd": ["1.2.3.4", "5.6.7.8"]], ["apache-auth": ["9.9.9.9"]], ["empty": []]]
        #expect(json("banned", all) == #"{"sshd":["1.2.3.4","5.6.7.8"],"apache-auth":["9.9.9.9"],"empty":[]}"#)
        #expect(json("banned 1.2.3.4 7.7.7.7", [["sshd"], []]) == #"{"1.2.3.4":["sshd"],"7.7.7.7":[]}"#)
        #expect(json("get sshd banned", ["1.2.3.4"]) == #"["1.2.3.4"]"#)
        #expect(json("get sshd banned 1.2.3.4 7.7.7.7", [1, 0]) == "[1,0]")
    }

    @Test func banIP() {
        #expect(json("get sshd banip", ["1.2.3.4", "5.6.7.8"]) == #"["1.2.3.4","5.6.7.8"]"#)
        let timed: ControlValue = [
            "1.2.3.4 \t2026-11-21 08:30:43 + 600 = 2026-11-21 08:40:43",
            "2001:db8::1 \t2026-11-21 08:31:55 + -1 = 9999-12-31 23:59:59",
        ]
        #expect(json("get sshd banip --with-time", timed) == #"[{"ip":"1.2.3.4","banned_at":"2026-11-21 08:30:43","bantime":600,"expires_at":"2026-11-21 08:40:43"},{"ip":"2001:db8::1","banned_at":"2026-11-21 08:31:55","bantime":-1,"expires_at":"9999-12-31 23:59:59"}]"#)
    }

    @Test func otherCommandsHaveNoJSONForm() {
        #expect(json("get sshd bantime", 600) == nil)
        #expect(json("ping", "pong") == nil)
        #expect(json("status", "garbage") == nil)
    }

    @Test func errors() {
        #expect(JSONOutput.formatError(command: ["status", "x"], message: "Sorry but the jail 'x' does not exist")
            == #"{"error":"Sorry but the jail 'x' does not exist"}"#)
    }
}
