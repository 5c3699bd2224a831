import PortcullisAPI

/// What the export API and `/metrics` read of a jail: copies, taken between batches of lines.
extension JailRuntime {
    func exportedBans() -> [ExportedBan] {
        core.bans.tickets.map {
            ExportedBan(jail: name, ip: $0.id, timeOfBan: $0.timeOfBan, banTime: $0.banTime, banCount: $0.banCount)
        }
    }

    func summary() -> JailSummary {
        JailSummary(name: name, currentlyFailed: core.failures.currentlyFailed, totalFailed: core.failures.totalFailed,
                    currentlyBanned: core.bans.currentlyBanned, totalBanned: core.bans.totalBanned,
                    sources: journal != nil ? (definition.filter?.journalMatch ?? []) : filePaths, backend: definition.backend)
    }

    func metrics() -> JailMetrics {
        JailMetrics(name: name, linesRead: linesRead, failures: core.failures.totalFailed, bans: core.bans.totalBanned,
                    unbans: unbanCount, actionErrors: worker.errorCount, currentlyBanned: core.bans.currentlyBanned)
    }
}
