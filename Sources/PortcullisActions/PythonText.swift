import PortcullisConfig

/// Python's wording of process outcomes, which fail2ban writes in its log (`killed with SIGTERM`).
enum PythonText {
    /// Signal names as Python's `signal` module gives them.
    static func signalName(_ number: Int32) -> String {
        let names: [Int32: String] = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT",
                                      7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2",
                                      13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM", 17: "SIGCHLD", 24: "SIGXCPU", 25: "SIGXFSZ"]
        return names[number] ?? "signal \(number)"
    }

    /// fail2ban's `killed with SIGTERM (return code: -15)` for a status that reports a signal
    /// (negative, as Python's `returncode`, or a shell's 128 + n); nil for an exit code.
    static func killed(status: Int32) -> String? {
        guard status < 0 || status > 128 else { return nil }
        let signal = status < 0 ? -status : status - 128
        return "killed with \(signalName(signal)) (return code: \(status))"
    }
}
