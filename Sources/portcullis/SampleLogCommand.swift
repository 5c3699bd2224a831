import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `portcullis sample-log`: a deterministic, realistic OpenSSH auth log for demos,
/// benchmarks and robustness tests (hidden from `--help`).
struct SampleLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-log",
        abstract: "Generate a realistic sshd auth log.",
        discussion: """
            Writes OpenSSH messages in syslog format (`Mon DD HH:MM:SS host sshd[pid]: …`, UTC) \
            with the line mix of a public-facing host. The output depends only on the options: \
            the same options give byte-identical logs.
            """,
        shouldDisplay: false)

    @Option(name: .long, help: "Number of lines to write.")
    var lines: Int = 20_000

    @Option(name: .long, help: "Random seed; the same seed gives the same log.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Epoch seconds of the first line (default: 2024-12-10 06:55:46 UTC).")
    var start: Int64 = 1_733_813_746

    @Option(name: .customLong("ipv6-share"), help: "Share of attack sessions from IPv6 addresses, 0…1.")
    var ipv6Share: Double = 0.1

    @Option(name: .long, help: "The host name column.")
    var hostname: String = "gate"

    @Flag(name: .long, help: "Mix in hostile lines: injected addresses in user names, very long lines, invalid UTF-8, shell metacharacters, terminal escapes.")
    var hostile = false

    @Option(name: [.short, .long], help: "Write to this file instead of standard output.")
    var output: String?

    func validate() throws {
        guard lines >= 0 else { throw ValidationError("--lines must be >= 0") }
        guard (0...1).contains(ipv6Share) else { throw ValidationError("--ipv6-share must be between 0 and 1") }
        guard !hostname.isEmpty, !hostname.contains(where: \.isWhitespace) else {
            throw ValidationError("--hostname must be one non-empty word")
        }
    }

    func run() throws {
        var fd: Int32 = 1
        if let output {
            fd = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else {
                throw ValidationError("cannot open \(output): \(String(cString: strerror(errno)))")
            }
        }
        defer { if fd != 1 { close(fd) } }
        var options = SampleLogOptions()
        options.lines = lines
        options.seed = seed
        options.start = start
        options.ipv6Share = ipv6Share
        options.hostile = hostile
        options.hostname = Array(hostname.utf8)
        var sink = ByteSink(fd: fd)
        var generator = SampleLogGenerator(options: options)
        try generator.generate(into: &sink)
    }
}
