#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `/bin/sh` (or, with `searchPath`, any program looked up in PATH) started with `posix_spawn` as
/// the leader of a new process group, stdin on /dev/null or the given descriptor, stdout and stderr
/// on pipes, every signal at its default disposition and none blocked (the
/// daemon may ignore or block SIGTERM for its own handling; a child inheriting that would survive
/// the timeout's SIGTERM).
struct ChildProcess {
    let pid: pid_t
    let stdout: Int32
    let stderr: Int32

    struct SpawnError: Error {
        var message: String
    }

    /// - Parameters:
    ///   - stdin: a readable descriptor the child gets as its standard input (nil: /dev/null); the
    ///     caller keeps and closes its own copy.
    ///   - searchPath: look `arguments[0]` up in PATH (`posix_spawnp`) rather than take it as a path.
    static func spawn(arguments: [String], environment: [String: String]?, stdin: Int32? = nil,
                      searchPath: Bool = false) throws(SpawnError) -> ChildProcess {
        guard !arguments.isEmpty else { throw SpawnError(message: "posix_spawn: empty command") }
        guard let out = LibC.closeOnExecPipe() else { throw SpawnError(message: "pipe: \(errorText(errno))") }
        guard let err = LibC.closeOnExecPipe() else {
            close(out.read); close(out.write)
            throw SpawnError(message: "pipe: \(errorText(errno))")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdin {
            posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, out.write, 1)
        posix_spawn_file_actions_adddup2(&actions, err.write, 2)
        LibC.addCloseFrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        sigdelset(&allSignals, SIGKILL)
        sigdelset(&allSignals, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var envStrings: [UnsafeMutablePointer<CChar>?]? = environment.map { env in
            env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        }
        defer { envStrings?.forEach { free($0) } }

        var pid: pid_t = 0
        let spawnFunction = searchPath ? posix_spawnp : posix_spawn
        let status: Int32
        if envStrings != nil {
            status = envStrings!.withUnsafeMutableBufferPointer { envp in
                spawnFunction(&pid, arguments[0], &actions, &attributes, argv, envp.baseAddress)
            }
        } else {
            status = spawnFunction(&pid, arguments[0], &actions, &attributes, argv, environ)
        }
        close(out.write)
        close(err.write)
        guard status == 0 else {
            close(out.read); close(err.read)
            throw SpawnError(message: "posix_spawn \(arguments[0]): \(errorText(status))")
        }
        return ChildProcess(pid: pid, stdout: out.read, stderr: err.read)
    }

    static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// Python's `returncode` from a `waitpid` status: the exit code, or minus the signal.
    static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : -signal
    }
}
