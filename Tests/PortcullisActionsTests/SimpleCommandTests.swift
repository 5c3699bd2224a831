import PortcullisActions
import Testing

/// Splitting a command line the way `/bin/sh -c` does, or refusing when the shell would do more
/// than split it.
struct SimpleCommandTests {
    @Test func splitsLikeTheShell() {
        #expect(SimpleCommand(#"nft add element inet f2b-table addr-set-sshd \{ 192.0.2.7 \}"#)?.arguments
                == ["nft", "add", "element", "inet", "f2b-table", "addr-set-sshd", "{", "192.0.2.7", "}"])
        #expect(SimpleCommand("  echo 'a b'\t\"c  d\" e\\ f '' x#y a~b")?.arguments == ["echo", "a b", "c  d", "e f", "", "x#y", "a~b"])
        #expect(SimpleCommand("ipset add f2b-sshd 192.0.2.1 -exist")?.arguments == ["ipset", "add", "f2b-sshd", "192.0.2.1", "-exist"])
    }

    @Test(arguments: [
        "echo $HOME", "echo \"$HOME\"", "echo `id`", "echo \"a\\b\"", "a; b", "a && b", "a | b", "a > f", "a < f",
        "(a)", "a &", "echo *", "echo ?", "echo [a]", "echo ~", "echo # comment", "X=1 cmd", "{ a; }", "if true",
        "a\nb", "echo \\\nb", "echo 'open", "echo \"open", "", "   ", "echo a\u{1}b",
    ])
    func refusesWhatTheShellWouldInterpret(_ text: String) {
        #expect(SimpleCommand(text) == nil, "\(text)")
    }
}
