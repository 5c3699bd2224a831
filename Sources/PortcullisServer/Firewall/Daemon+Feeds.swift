import Foundation
import PortcullisAPI
import PortcullisConfig
import PortcullisFeeds
import PortcullisFirewall
import PortcullisJail

/// Blocklist feeds (`[feed-NAME]` in the jail files): each keeps a native set of its own in step
/// with its source — the cached list at once at start, then only the difference of each fetch,
/// in one transaction. The kernel set stays across a daemon restart, like the jails' sets.
extension Daemon {
    /// Where feeds keep their last good list: beside the database (`dbfile`).
    var feedStateDirectory: String {
        let db = configuration.settings.dbFile
        let base = db.isEmpty || db.lowercased() == "none" || db == ":memory:"
            ? NSTemporaryDirectory() : (db as NSString).deletingLastPathComponent
        return (base as NSString).appendingPathComponent("portcullis-feeds")
    }

    /// Starts the feeds of `selection` not running yet; stops those no longer wanted.
    func syncFeeds(_ definitions: [FeedDefinition]) async {
        let wanted = Dictionary(definitions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (name, runner) in feeds {
            let running = await runner.definition
            if wanted[name] != running { await stopFeed(name, uninstall: wanted[name] == nil) }
        }
        for definition in definitions where feeds[definition.name] == nil {
            await startFeed(definition)
        }
    }

    func startFeed(_ feed: FeedDefinition) async {
        do {
            let firewall = try firewalls.firewall(forFeed: feed)
            let whitelist = ((try? IgnoreList(entries: feed.ignoreIP, ignoreSelf: false))?.networks ?? []).map(\.description)
            let set = ManagedSet(name: feed.name, scope: BlockScope(ports: feed.ports, protocol: feed.protocol, blockType: feed.blockType),
                                 whitelist: whitelist)
            try await firewall.install(set)
            try FileManager.default.createDirectory(atPath: feedStateDirectory, withIntermediateDirectories: true)
            let runner = FeedRunner(definition: feed, stateDirectory: feedStateDirectory, log: log.sink) { add, remove in
                try await firewall.apply(setNamed: feed.name, add: add.map { BanElement(address: $0) }, remove: remove, now: Clock.now())
            }
            feeds[feed.name] = runner
            log.log(.info, FeedRunner.logger, "[\(feed.name)] Feed started: \(feed.source), every \(Int(feed.interval)) s, \(feed.backend)")
            await runner.start()
        } catch {
            log.log(.error, FeedRunner.logger, "[\(feed.name)] Unable to start the feed: \(error)")
        }
    }

    /// Stops a feed; `uninstall` (it left the configuration) also removes its set from the kernel.
    func stopFeed(_ name: String, uninstall: Bool) async {
        guard let runner = feeds.removeValue(forKey: name) else { return }
        await runner.stop()
        if uninstall, let firewall = try? firewalls.firewall(forFeed: await runner.definition) {
            do { try await firewall.uninstall(setNamed: name) } catch {
                log.log(.error, FeedRunner.logger, "[\(name)] Removing the feed's set failed: \(error)")
            }
        }
        log.log(.info, FeedRunner.logger, "[\(name)] Feed stopped")
    }

    func stopFeeds() async {
        for name in feeds.keys.sorted() { await stopFeed(name, uninstall: false) }
    }

    /// Feed counters for `/metrics`.
    func feedMetrics() async -> [FeedMetrics] {
        var metrics: [FeedMetrics] = []
        for name in feeds.keys.sorted() {
            guard let runner = feeds[name] else { continue }
            let stats = await runner.statistics
            metrics.append(FeedMetrics(name: name, size: stats.size, invalidLines: stats.invalidLines, fetches: stats.fetches,
                                       failures: stats.failures, lastSuccess: stats.lastSuccess?.timeIntervalSince1970))
        }
        return metrics
    }
}
