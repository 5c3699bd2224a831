import Foundation
import PortcullisAPI
import PortcullisClient
import PortcullisActions
import PortcullisConfig
import PortcullisSystem
import PortcullisFeeds
import PortcullisFirewall
import PortcullisStore

/// The daemon: reads the config tree, starts every enabled jail, answers the control socket,
/// and stops cleanly on SIGTERM or `stop` (actions stopped, bans kept in the store for the next
/// start). SIGHUP and `reload` re-read the tree.
public actor Daemon {
    let configuration: ServerConfiguration
    let log: ServerLog
    let store: SQLiteBanStore
    /// Set when `dbfile` was fail2ban's own database: it was moved aside and is imported at start.
    let fail2banDatabase: String?
    var jails: [String: JailRuntime] = [:]
    var jailOrder: [String] = []
    /// The native set firewalls the jails and feeds ban through.
    let firewalls = NativeFirewalls()
    /// Runs the jails' commands; with `nftnetlink` on, `nft … element` commands go through netlink.
    let commandRunner: CommandRunner
    /// The running blocklist feeds by section name (`feed-krawl`).
    var feeds: [String: FeedRunner] = [:]
    let signals = SignalEvents()
    /// `dbpurgeage` in seconds (0 or less: never purge).
    var dbPurgeAge: Double
    var dbMaxMatches: Int?
    /// When the daemon started (epoch seconds), for `/metrics`.
    nonisolated let startTime = Clock.now()

    /// Opens the log target and the store. Nothing is started until `run()`.
    public init(configuration: ServerConfiguration) throws(ServerError) {
        self.configuration = configuration
        let settings = configuration.settings
        log = try ServerLog(target: settings.logTarget, level: LogLevel(name: settings.logLevel) ?? .info,
                            syslogSocket: settings.syslogSocket)
        dbPurgeAge = (try? TimeAbbreviation.seconds(settings.dbPurgeAge)) ?? 0
        dbMaxMatches = settings.dbMaxMatches
        var runner = CommandRunner()
        if settings.nftNetlink { runner.shortcut = NftablesElementShortcut() }
        commandRunner = runner
        let dbFile = settings.dbFile.lowercased() == "none" || settings.dbFile.isEmpty ? ":memory:" : settings.dbFile
        if dbFile != ":memory:" { try Self.makeParent(of: dbFile) }
        var movedAside: String? = nil
        do {
            store = try SQLiteBanStore(path: dbFile, maxMatches: settings.dbMaxMatches)
        } catch where error.kind == .fail2banDatabase {
            // A migrating administrator's fail2ban.sqlite3: keep it whole beside ours, import it at start.
            let aside = dbFile + ".fail2ban"
            guard !FileManager.default.fileExists(atPath: aside), rename(dbFile, aside) == 0 else {
                throw .store("\(dbFile) is fail2ban's database and \(aside) exists already; move one of them away")
            }
            movedAside = aside
            do { store = try SQLiteBanStore(path: dbFile, maxMatches: settings.dbMaxMatches) } catch {
                throw .store("\(error)")
            }
        } catch {
            throw .store("\(error)")
        }
        fail2banDatabase = movedAside
    }

    /// Imports fail2ban's database (bans, history, log positions) before any jail starts, so a
    /// migration keeps every current ban.
    func importFail2banDatabase() async {
        guard let path = fail2banDatabase else { return }
        do {
            let report = try await SQLiteBanStore.importFail2banDatabase(from: path, into: store, now: Clock.now())
            log.log(.notice, "fail2ban.database", "Imported fail2ban's database \(path) (schema \(report.schemaVersion)): \(report.currentBans) current bans, \(report.historyBans) past bans, \(report.logPositions) log positions, \(report.skippedRows) rows skipped")
            for problem in report.problems.prefix(10) { log.log(.warning, "fail2ban.database", problem) }
        } catch {
            log.log(.error, "fail2ban.database", "Importing fail2ban's database \(path) failed: \(error)")
        }
    }

    /// Runs until stopped. Returns once every jail stopped and the socket and pid file are gone.
    public func run() async throws(ServerError) {
        log.log(.info, "fail2ban.server", String(repeating: "-", count: 50))
        log.log(.info, "fail2ban.server", "Starting \(PortcullisVersion.description)")
        // A tree that cannot be read stops the start here, before the socket or pid file exist.
        let selection: JailSelection
        let api: APISettings
        do {
            selection = try readJails(only: nil)
            api = try readAPISettings()
        } catch {
            log.log(.critical, "fail2ban.configreader", "\(error)")
            throw error
        }
        try Self.makeParent(of: configuration.socketPath)
        let listener: ControlListener
        do {
            listener = try ControlListener(path: configuration.socketPath, removeStale: configuration.removeStaleSocket) { [weak self] words in
                guard let self else { return .failure("Server is shutting down") }
                return await self.handle(words)
            }
        } catch {
            throw .alreadyRunning(socket: "\(error)")
        }
        let pidFile = PidFile(path: configuration.pidFile)
        try Self.makeParent(of: configuration.pidFile)
        try pidFile.write()
        log.log(.info, "fail2ban.server", "Daemon started")
        await importFail2banDatabase()
        await startJails(selection)
        await syncFeeds(selection.feeds)
        // Commands are answered once the jails run (clients connecting earlier wait in the backlog).
        listener.start()
        let purge = startPurging()
        let healing = startReconciler()
        let apiServer = startAPI(api)
        releaseStartupPagesSoon()
        for await signal in signals.events {
            switch signal {
            case .stop:
                break
            case .reload:
                try? await reload(jail: nil, unban: false, restart: false)
                continue
            case .flushLogs:
                _ = log.flush()
                continue
            }
            break
        }
        log.log(.info, "fail2ban.server", "Shutdown in progress...")
        purge.cancel()
        healing.cancel()
        apiServer?.cancel()
        listener.stop()
        await stopFeeds()
        await stopJails(only: nil, daemonShutdown: true)
        pidFile.remove()
        log.log(.info, "fail2ban.server", "Exiting Fail2ban")
        signals.cancel()
    }

    /// Asks `run()` to finish (the `stop` command, or a test).
    public nonisolated func requestStop() { signals.send(.stop) }

    // MARK: - Jails

    /// Starts the enabled jails of `selection` that are not running yet.
    func startJails(_ selection: JailSelection) async {
        for definition in selection.definitions where jails[definition.name] == nil {
            guard let jail = makeJail(definition) else { continue }
            await launch(jail)
        }
    }

    /// A jail ready to start, or nil (reported with the reason) when its definition does not
    /// compile.
    func makeJail(_ definition: JailDefinition) -> JailRuntime? {
        do {
            return try JailRuntime(definition: definition, store: store, log: log, firewalls: firewalls, runner: commandRunner)
        } catch {
            log.log(.error, "fail2ban.jail", "Unable to start jail '\(definition.name)': \(error)")
            return nil
        }
    }

    func launch(_ jail: JailRuntime) async {
        do { try await store.addJail(jail.name) } catch {
            log.log(.error, "fail2ban.database", "[\(jail.name)] \(error)")
        }
        jails[jail.name] = jail
        if !jailOrder.contains(jail.name) { jailOrder.append(jail.name) }
        await jail.start()
    }

    func stopJails(only name: String?, daemonShutdown: Bool = false) async {
        let names = name.map { [$0] } ?? jailOrder.reversed()
        for name in names {
            guard let jail = jails.removeValue(forKey: name) else { continue }
            jailOrder.removeAll { $0 == name }
            await jail.stop(daemonShutdown: daemonShutdown)
        }
    }

    /// The enabled jails of the tree as it is now, and the names of those whose definition is
    /// broken (each error logged with its file and line). A tree that cannot be read at all is
    /// an error: nothing is started, stopped or changed because of it.
    struct JailSelection {
        var definitions: [JailDefinition] = []
        var broken: Set<String> = []
        /// The enabled `[feed-NAME]` sections (a broken one is logged and left out).
        var feeds: [FeedDefinition] = []
    }

    func readJails(only name: String?) throws(ServerError) -> JailSelection {
        var reader: JailsReader
        do { reader = try JailsReader(configDirectory: configuration.configDirectory) } catch {
            throw .configuration("\(error)")
        }
        var selection = JailSelection()
        for outcome in reader.readJails(forceEnable: false, allowMissingLogs: true) {
            if let name, outcome.name != name { continue }
            switch outcome.result {
            case .success(let definition?):
                for warning in definition.warnings { log.log(.warning, "fail2ban.configreader", "\(warning)") }
                selection.definitions.append(definition)
            case .success(nil):
                break
            case .failure(let error):
                log.log(.error, "fail2ban.configreader", "\(error)")
                selection.broken.insert(outcome.name)
            }
        }
        guard name == nil else { return selection }
        for outcome in reader.readFeeds() {
            switch outcome.result {
            case .success(let feed): if feed.enabled { selection.feeds.append(feed) }
            case .failure(let error): log.log(.error, "fail2ban.configreader", "\(error)")
            }
        }
        return selection
    }

    /// `reload [--unban] [--restart] [<jail>]` and SIGHUP: jails gone from the tree stop, new
    /// ones start, changed ones (or all with `--restart`) restart with their bans restored. A jail
    /// whose new definition is broken keeps running as it was.
    func reload(jail name: String?, unban: Bool, restart: Bool) async throws(ServerError) {
        log.log(.info, "fail2ban.server", "Reload " + (name.map { "jail \($0)" } ?? "all jails"))
        let selection: JailSelection
        do { selection = try readJails(only: name) } catch {
            log.log(.error, "fail2ban.server", "Reload aborted, nothing changed: \(error)")
            throw error
        }
        let wanted = Set(selection.definitions.map(\.name)).union(selection.broken)
        if name == nil {
            for running in jailOrder where !wanted.contains(running) { await stopJails(only: running) }
        }
        for definition in selection.definitions {
            if let running = jails[definition.name] {
                if unban { _ = await running.unbanAll() }
                let changed = await "\(running.definition.stream)" != "\(definition.stream)"
                guard restart || changed else {
                    // A reload re-applies every current ban (a firewall reloaded before us loses nothing).
                    if !unban { _ = await running.reban() }
                    continue
                }
                guard let replacement = makeJail(definition) else { continue }
                log.log(.info, "fail2ban.server", "Restart jail '\(definition.name)'")
                await stopJails(only: definition.name)
                await launch(replacement)
            } else if let jail = makeJail(definition) {
                await launch(jail)
            }
        }
        if name == nil { await syncFeeds(selection.feeds) }
        log.log(.info, "fail2ban.server", "Reload finished.")
        releaseStartupPagesSoon()
    }

    /// A second after a start or reload, once the jails' first reads are done, gives back the
    /// free heap and the code pages only the start needed (`StartupPages`).
    func releaseStartupPagesSoon() {
        Task.detached(priority: .background) { [log] in
            try? await Task.sleep(for: .seconds(1))
            let released = StartupPages.release()
            log.log(.debug, "fail2ban.server", "Gave back \(released.fileKiB) KiB of start-up code in \(released.mappings) mappings, and \(released.writtenMappingFileKiB) KiB of data pages to reclaim")
        }
    }

    func jail(_ name: String) throws(ServerError) -> JailRuntime {
        guard let jail = jails[name] else { throw .unknownJail(name) }
        return jail
    }

    // MARK: - Export API

    func readAPISettings() throws(ServerError) -> APISettings {
        do { return try APISettings.read(configDirectory: configuration.configDirectory) } catch {
            throw .configuration("\(error)")
        }
    }

    /// The export API (`[API] enabled = true`), or nil when off. A server that cannot bind is
    /// logged with the `[API]` section's place; the daemon keeps running without it.
    private func startAPI(_ settings: APISettings) -> Task<Void, Never>? {
        guard settings.enabled else { return nil }
        let server = APIServer(settings: settings, source: DaemonExportSource(daemon: self), log: log.sink)
        let log = log
        return Task {
            do { try await server.run() } catch {
                log.log(.error, APIServer.logger, "\(error)")
            }
        }
    }

    // MARK: - Store upkeep

    private func startPurging() -> Task<Void, Never> {
        Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                await self.purgeOnce()
                try? await Task.sleep(for: .seconds(3600))
            }
        }
    }

    func purgeOnce() async {
        let age = dbPurgeAge
        guard age > 0 else { return }
        do {
            let removed = try await store.purge(olderThan: Clock.now() - age)
            if removed > 0 { log.log(.debug, "fail2ban.database", "Purged \(removed) old bans") }
        } catch {
            log.log(.error, "fail2ban.database", "Purge failed: \(error)")
        }
    }

    static func makeParent(of path: String) throws(ServerError) {
        let parent = (path as NSString).deletingLastPathComponent
        guard !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) else { return }
        do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            throw .configuration("Cannot create \(parent): \(error.localizedDescription)")
        }
    }
}
