import Testing
import Foundation
@testable import PortcullisActions
import PortcullisConfig
import PortcullisTestSupport

/// Log-derived values must reach `/bin/sh` as text, in every quoting context a command may put a
/// tag in: the file gets exactly the value, and the payload's side effect never happens.
@Suite struct ShellEscapingTests {
    static func payloads(_ pwn: String) -> [String] {
        [
            "x'; touch \(pwn); echo '",
            "$(touch \(pwn))",
            "`touch \(pwn)`",
            "\"; touch \(pwn); echo \"",
            "a\ntouch \(pwn)\n",
            "line1\r\nline2",
            "back\\slash\\",
            "${IFS}$(touch${IFS}\(pwn))",
            "* ? [a] ~ !x #c",
            "-rf --no-preserve-root",
            "tab\there  two  spaces",
            "ünïcødé 🚫 \u{7f}\u{1b}[31m",
            "EOF",
            "'\"'\"'",
            ")); touch \(pwn); ((",
            "} ; touch \(pwn); {",
            "\\'; touch \(pwn); #",
            "$((1+1)) ${HOME} $0 $@",
            "",
            "root",
        ]
    }

    /// A command writing `<F-USER>` to `out`, and what `out` must hold afterwards.
    struct Context: Sendable {
        var name: String
        var command: @Sendable (_ out: String) -> String
        /// nil: the text is not checked (a quoted here-document cannot expand a variable).
        var expected: (@Sendable (_ value: String) -> String)?
    }

    static let contexts: [Context] = [
        Context(name: "unquoted", command: { "printf '%s' <F-USER> > \($0)" }, expected: { $0 }),
        Context(name: "double quotes", command: { "printf '%s' \"<F-USER>\" > \($0)" }, expected: { $0 }),
        Context(name: "single quotes", command: { "printf '%s' '<F-USER>' > \($0)" }, expected: { $0 }),
        Context(name: "mixed word", command: { "printf '%s' pre<F-USER>'mid'\"<F-USER>\"post > \($0)" }, expected: { "pre\($0)mid\($0)post" }),
        Context(name: "command substitution", command: { "v=$(printf '%s.' <F-USER>); printf '%s' \"${v%.}\" > \($0)" }, expected: { $0 }),
        Context(name: "backquotes", command: { "v=`printf '%s.' <F-USER>`; printf '%s' \"${v%.}\" > \($0)" }, expected: { $0 }),
        Context(name: "backquotes in double quotes", command: { "v=\"`printf '%s.' \"<F-USER>\"`\"; printf '%s' \"${v%.}\" > \($0)" }, expected: { $0 }),
        Context(name: "parameter default", command: { "printf '%s' \"${unset_variable:-<F-USER>}\" ${unset_variable:-<F-USER>} > \($0)" }, expected: { $0 + $0 }),
        Context(name: "here-document", command: { "cat > \($0) <<EOF\n<F-USER>\nEOF" }, expected: { $0 + "\n" }),
        Context(name: "here-document with tabs", command: { "cat > \($0) <<-EOF\n\t<F-USER>\n\tEOF" }, expected: { $0 + "\n" }),
        Context(name: "quoted here-document", command: { "cat > \($0) <<'EOF'\n<F-USER>\nEOF" }, expected: nil),
        Context(name: "comment", command: { "printf '%s' ok > \($0) # <F-USER>" }, expected: { _ in "ok" }),
        Context(name: "hash after a tag", command: { "printf '%s' a<F-USER>#x > \($0)" }, expected: { "a" + $0 + "#x" }),
        Context(name: "subshell", command: { "( printf '%s' \"<F-USER>\" ) > \($0)" }, expected: { $0 }),
        Context(name: "escaped tag", command: { "printf '%s' x\\<F-USER> > \($0)" }, expected: { "x" + $0 }),
        Context(name: "escaped tag in double quotes", command: { "printf '%s' \"x\\<F-USER>\" > \($0)" },
                expected: { "x" + (["", "$", "`", "\\", "\""].contains($0.first.map(String.init) ?? "") ? $0 : "\\" + $0) }),
        Context(name: "escaped tag in here-document", command: { "cat > \($0) <<EOF\nx\\<F-USER>\nEOF" },
                expected: { "x" + (["", "$", "`", "\\", "\n"].contains($0.first.map(String.init) ?? "") ? $0 : "\\" + $0) + "\n" }),
    ]

    @Test(arguments: contexts.indices)
    func fieldCaptureStaysText(context index: Int) async throws {
        let context = Self.contexts[index]
        let tmp = try TemporaryDirectory(prefix: "portcullis-escape")
        defer { tmp.remove() }
        let pwn = tmp.url.appendingPathComponent("pwned").path
        let out = tmp.url.appendingPathComponent("out").path
        let runner = CommandRunner()
        for payload in Self.payloads(pwn) {
            let info = BanInfo(ip: "192.0.2.1", time: 1, fields: ["user": payload])
            let script = ActionTags.substitute(context.command(out), info: info, options: OrderedOptions(), family: "inet4")
            let result = await runner.run(script, timeout: 10)
            #expect(result.status == 0, "\(context.name) \(payload.debugDescription): \(result.stderr)\n\(script)")
            #expect(!FileManager.default.fileExists(atPath: pwn), "\(context.name) executed \(payload.debugDescription):\n\(script)")
            let written = try String(contentsOfFile: out, encoding: .utf8)
            if let expected = context.expected {
                #expect(written == expected(payload.replacingOccurrences(of: "\0", with: "")),
                        "\(context.name) \(payload.debugDescription):\n\(script)")
            }
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: pwn)
        }
    }

    @Test func everyFormIsHarmlessInEveryRealContext() async throws {
        // Whatever context the scanner believed it was in, each reference form is only an
        // expansion wherever it actually lands.
        let tmp = try TemporaryDirectory(prefix: "portcullis-forms")
        defer { tmp.remove() }
        let pwn = tmp.url.appendingPathComponent("pwned").path
        let assignment = "f2bV_x=" + ShellQuoting.singleQuoted("$(touch \(pwn))`touch \(pwn)`;touch \(pwn)") + "\n"
        let forms = ["\"${f2bV_x}\"", "${f2bV_x}", "'\"${f2bV_x}\"'"]
        let wrappers = ["echo F", "echo \"F\"", "echo 'F'", "cat <<E\nF\nE", "cat <<'E'\nF\nE", "echo `echo F`", "echo $(echo F)", "echo # F"]
        for form in forms {
            for wrapper in wrappers {
                let script = assignment + wrapper.replacingOccurrences(of: "F", with: form)
                _ = await CommandRunner().run(script, timeout: 10)
                #expect(!FileManager.default.fileExists(atPath: pwn), "\(script)")
            }
        }
    }

    @Test func nulCharactersAreDropped() {
        #expect(ShellQuoting.singleQuoted("a\0b'c") == "'ab'\\''c'")
    }

    @Test func plainTextIsPlacedAsIs() {
        #expect(ShellQuoting.isPlain("192.0.2.1"))
        #expect(ShellQuoting.isPlain("2001:db8::1/64"))
        #expect(ShellQuoting.isPlain("user_name-1@example.org"))
        for text in ["", "a b", "a\tb", "ä", "a!", "a~", "a*", "a^", "a#", "{a}", "a'"] {
            #expect(!ShellQuoting.isPlain(text), "\(text.debugDescription)")
        }
    }

    @Test func variablesAreSharedAndNamedLikeFail2ban() {
        let info = BanInfo(ip: "192.0.2.1", time: 1, matches: ["a b"], fields: ["user": "x y", "a-b": "1 2", "a_b": "3 4"])
        let output = ActionTags.dynamic("<matches> <matches> <F-USER> <F-A-B> <F-A_B>", info: info, options: OrderedOptions(), family: "inet4")
        #expect(output.variables.map(\.name) == ["f2bV_matches", "f2bV_F_user", "f2bV_F_a_b", "f2bV_F_a_b_2"])
        #expect(output.script == "\"${f2bV_matches}\" \"${f2bV_matches}\" \"${f2bV_F_user}\" \"${f2bV_F_a_b}\" \"${f2bV_F_a_b_2}\"")
    }
}
