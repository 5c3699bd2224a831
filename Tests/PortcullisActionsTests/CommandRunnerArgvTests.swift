import Foundation
import PortcullisActions
import Testing

/// Programs run directly (argv, no shell) with their whole standard input: what the firewall
/// backends feed `nft -f -` and `ipset restore` through.
@Suite struct CommandRunnerArgvTests {
    let runner = CommandRunner(shell: "/bin/sh", outputLimit: 1 << 24)

    @Test func inputReachesTheProgramWhole() async {
        let input = Array(String(repeating: "0123456789abcdef\n", count: 200_000).utf8)
        let result = await runner.run(arguments: ["wc", "-c"], input: input, timeout: 10)
        #expect(result.succeeded)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(input.count)")
    }

    @Test func argumentsAreNotInterpretedByAShell() async {
        let result = await runner.run(arguments: ["echo", "$HOME; rm -rf /"], timeout: 5)
        #expect(result.stdout == "$HOME; rm -rf /\n")
    }

    @Test func noInputIsDevNull() async {
        let result = await runner.run(arguments: ["cat"], timeout: 5)
        #expect(result.succeeded && result.stdout.isEmpty)
    }

    @Test func aMissingProgramAndAFailureAreReported() async {
        let missing = await runner.run(arguments: ["portcullis-no-such-program"], input: [1, 2], timeout: 5)
        #expect(missing.status == 127 && missing.stderr.contains("portcullis-no-such-program"))
        let failing = runner.runBlocking(arguments: ["sh", "-c", "cat >/dev/null; echo nope >&2; exit 3"], input: Array("x".utf8), timeout: 5)
        #expect(failing.status == 3 && failing.stderr == "nope\n")
    }

    @Test func anEarlyExitIgnoringTheInputIsNoSignal() async {
        let result = await runner.run(arguments: ["true"], input: Array(repeating: 65, count: 4 << 20), timeout: 5)
        #expect(result.succeeded)
    }
}
