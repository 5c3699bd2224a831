import PortcullisAPI

/// The export API's view of the running daemon: every request asks the jails for a fresh copy of
/// their bans and counters, so the API never holds live state of its own.
struct DaemonExportSource: BanExportSource {
    let daemon: Daemon

    func bans(jail: String?) async -> [ExportedBan] {
        var bans: [ExportedBan] = []
        for runtime in await daemon.runningJails() where jail == nil || runtime.name == jail {
            bans += await runtime.exportedBans()
        }
        return bans
    }

    func jails() async -> [JailSummary] {
        var summaries: [JailSummary] = []
        for runtime in await daemon.runningJails() { summaries.append(await runtime.summary()) }
        return summaries
    }

    func metrics() async -> MetricsSnapshot {
        var jails: [JailMetrics] = []
        for runtime in await daemon.runningJails() { jails.append(await runtime.metrics()) }
        return MetricsSnapshot(jails: jails, feeds: await daemon.feedMetrics(), startTime: daemon.startTime)
    }
}
