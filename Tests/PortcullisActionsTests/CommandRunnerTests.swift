import Testing
import Foundation
@testable import PortcullisActions
import PortcullisTestSupport

/// `/bin/sh` children: output, status, timeouts that take the whole process group down.
@Suite struct CommandRunnerTests {
    let runner = CommandRunner()

    /// Whether `pid` is still a live (not zombie) process.
    static func alive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    static func waitUntilGone(_ pid: Int32, within seconds: Double = 3) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if !alive(pid) { return true }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return !alive(pid)
    }

    @Test func capturesOutputAndStatus() async {
        let result = await runner.run("echo out; echo err >&2; printf 'no newline'; exit 3", timeout: 10)
        #expect(result.status == 3)
        #expect(result.stdout == "out\nno newline")
        #expect(result.stderr == "err\n")
        #expect(!result.timedOut)
        #expect(!result.succeeded)
        #expect(result.duration >= 0 && result.duration < 5)
    }

    @Test func stdinIsDevNullAndSignalsAreDefault() async {
        let result = await runner.run("cat; trap; echo done", timeout: 5)
        #expect(result.stdout == "done\n")
        #expect(result.succeeded)
    }

    @Test func ownProcessGroup() async {
        let result = await runner.run("ps -o pgid= -p $$; echo $$", timeout: 5)
        let lines = result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.count == 2 && lines[0] == lines[1], "\(result.stdout)")
        #expect(lines.first != String(getpgrp()))
    }

    @Test func environmentReplacesTheDaemons() async {
        let result = await runner.run("echo \"$A|$HOME\"", timeout: 5, environment: ["A": "1 2"])
        #expect(result.stdout == "1 2|\n")
        let inherited = await CommandRunner(shell: "/bin/sh", environment: ["B": "x"]).run("echo $B", timeout: 5)
        #expect(inherited.stdout == "x\n")
    }

    @Test func largeOutputDoesNotBlockAndIsCapped() async {
        let result = await CommandRunner(shell: "/bin/sh", outputLimit: 100_000).run("head -c 3000000 /dev/zero | tr '\\0' a; echo end >&2", timeout: 20)
        #expect(result.succeeded)
        #expect(result.stdout.utf8.count == 100_000)
        #expect(result.stderr == "end\n")
    }

    @Test func scriptsLongerThanOneArgumentRunFromAFile() async {
        let long = String(repeating: "x", count: 300_000)
        let result = await runner.run("v='\(long)'\nprintf '%s' \"${#v}\"", timeout: 10)
        #expect(result.succeeded, "\(result.stderr)")
        #expect(result.stdout == "300000")
    }

    @Test func backgroundChildrenHoldingThePipeDoNotDelayTheResult() async throws {
        // The background sleep keeps the pipe open for 20 s; the result must not wait for it
        // (bounds stay loose: the tests share two cores with many shells).
        let result = await runner.run("sleep 20 & echo $!", timeout: 30)
        #expect(result.duration < 10)
        let pid = try #require(Int32(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(pid, SIGKILL)
    }

    @Test func timeoutKillsTheWholeProcessGroup() async throws {
        let tmp = try TemporaryDirectory(prefix: "portcullis-runner")
        defer { tmp.remove() }
        let pids = tmp.url.appendingPathComponent("pids").path
        let started = Date()
        let result = await runner.run("echo $$ > \(pids); sleep 30 & echo $! >> \(pids); sleep 30 & echo $! >> \(pids); wait", timeout: 0.5)
        #expect(result.timedOut)
        #expect(result.status < 0, "killed by a signal: \(result.status)")
        #expect(!result.succeeded)
        #expect(Date().timeIntervalSince(started) < 15)
        let all = try String(contentsOfFile: pids, encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
        #expect(all.count == 3)
        for pid in all {
            #expect(await Self.waitUntilGone(pid), "pid \(pid) survived")
        }
    }

    @Test func timeoutKillsChildrenThatIgnoreSIGTERM() async throws {
        let tmp = try TemporaryDirectory(prefix: "portcullis-runner")
        defer { tmp.remove() }
        let pids = tmp.url.appendingPathComponent("pids").path
        let result = await runner.run("trap '' TERM; echo $$ > \(pids); sh -c 'trap \"\" TERM; sleep 30' & echo $! >> \(pids); wait; wait", timeout: 0.5)
        #expect(result.timedOut)
        #expect(result.status == -9)
        let all = try String(contentsOfFile: pids, encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
        #expect(all.count == 2)
        for pid in all {
            #expect(await Self.waitUntilGone(pid), "pid \(pid) survived")
        }
    }

    @Test func missingShellIsReported() async {
        let result = await CommandRunner(shell: "/nonexistent/sh").run("true", timeout: 5)
        #expect(result.status == 127)
        #expect(result.stderr.contains("/nonexistent/sh"))
    }

    @Test func manyConcurrentCommands() async {
        let statuses = await withTaskGroup(of: Int32.self) { group in
            for i in 0..<40 { group.addTask { await CommandRunner().run("exit \(i % 7)", timeout: 10).status } }
            var all: [Int32] = []
            for await status in group { all.append(status) }
            return all
        }
        #expect(statuses.sorted() == (0..<40).map { Int32($0 % 7) }.sorted())
    }
}
