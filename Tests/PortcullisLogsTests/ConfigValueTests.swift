import Testing
@testable import PortcullisLogs

/// The jail options this target reads: `backend` and `logpath`.
@Suite struct ConfigValueTests {
    @Test func backendNames() {
        #expect(LogBackend(configValue: "auto") == .auto)
        #expect(LogBackend(configValue: "polling") == .polling)
        #expect(LogBackend(configValue: "inotify") == .inotify)
        #expect(LogBackend(configValue: "pyinotify") == .inotify)
        #expect(LogBackend(configValue: " Gamin ") == .inotify)
        #expect(LogBackend(configValue: "polling[opt=1]") == .polling)
        #expect(LogBackend(configValue: "systemd") == nil)
        #expect(LogBackend(configValue: "systemd[journalpath=/x]") == nil)
    }

    @Test func logpathEntries() {
        let specs = LogPathSpec.parse(logpath: """
            /var/log/auth.log
              /var/log/secure tail
            /var/log/*.log HEAD

            """)
        #expect(specs.map(\.pattern) == ["/var/log/auth.log", "/var/log/secure", "/var/log/*.log"])
        #expect(specs[0].start == nil)
        if case .end? = specs[1].start {} else { Issue.record("tail should start at the end") }
        #expect(specs[2].start == nil)
    }

    @Test func errorsSayWhatFailedAndWhere() {
        let error = LogSourceError.system(operation: "open", path: "/var/log/x.log", errno: 13)
        #expect(error.description == "open /var/log/x.log: Permission denied (errno 13)")
        #expect(LogSourceError.inotify(operation: "add watch", path: "/var/log", errno: 28).description
            .contains("max_user_watches"))
        #expect(LogSourceError.journal(operation: "open", detail: "/x", code: -2).description
            == "systemd journal open (/x): No such file or directory")
    }
}
