import PortcullisConfig

/// How the daemon was asked to run: `fail2ban-server`'s options over the settings of the config
/// tree (`fail2ban.conf`/`.local`), options winning, as fail2ban does.
public struct ServerConfiguration: Sendable {
    /// The config tree (`-c`, default `/etc/fail2ban`).
    public var configDirectory: String
    /// `fail2ban.conf`'s `[Definition]`, read from `configDirectory`.
    public var settings: FailBanSettings
    /// `-s`: overrides `socket`.
    public var socketPath: String
    /// `-p`: overrides `pidfile`.
    public var pidFile: String
    /// `-x`: remove a stale socket left by a crash.
    public var removeStaleSocket: Bool

    public init(configDirectory: String, socketPath: String? = nil, pidFile: String? = nil,
                removeStaleSocket: Bool = false) throws(ServerError) {
        self.configDirectory = configDirectory
        do {
            settings = try FailBanSettings.read(configDirectory: configDirectory)
        } catch {
            throw .configuration("\(error)")
        }
        self.socketPath = socketPath ?? settings.socket
        self.pidFile = pidFile ?? settings.pidFile
        self.removeStaleSocket = removeStaleSocket
    }
}
