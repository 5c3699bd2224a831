import PortcullisActions
import PortcullisConfig

/// What a jail needs of one of its actions, whichever way it reaches the firewall: a stock
/// `action.d` definition run as shell commands (`CommandAction`), or one of Portcullis' native set
/// backends (`NativeSetAction`), which takes a whole batch of bans in one kernel transaction.
///
/// The worker hands every operation over as a batch (the bans of one batch of log lines, every
/// restored ban, every expired one), so a batching action never sees them one at a time.
protocol JailAction: Actor {
    /// The action's name in its jail (`get <jail> actions`).
    nonisolated var name: String { get }
    func start() async throws
    /// `actionstop` after flushing what the jail still holds (a jail stopped for good).
    func flushAndStop(banned: [BanInfo]) async throws
    /// The daemon shuts down: what must survive the restart stays in place.
    func shutDown(banned: [BanInfo]) async throws
    /// Runs one operation; failures are logged (with the command line) and retried. Returns how
    /// many commands or transactions failed (for `/metrics`).
    func perform(_ operation: ActionOperation, retries: ActionRetryQueue, log: ServerLog, jail: String) async -> Int
    /// Checks the firewall still holds what this action put there, repairing it when not; true
    /// when a repair happened, so the jail must ban its current addresses again.
    func checkAndRepair(log: ServerLog, jail: String) async -> Bool
    func command(_ operation: String) -> String?
    func property(_ key: String) -> String?
    func setProperty(_ key: String, _ value: String)
    func setJailBanTime(_ seconds: Double)
}

/// The stock shell actions: each ban is its own command, as fail2ban runs it, with the retry
/// queue behind every failure; `actioncheck` then `actionrepair` (or stop and start) heal them.
extension CommandAction: JailAction {
    func shutDown(banned: [BanInfo]) async throws {
        try await flushAndStop(banned: banned)
    }

    func perform(_ operation: ActionOperation, retries: ActionRetryQueue, log: ServerLog, jail: String) async -> Int {
        var failures = 0
        func run(_ kind: ActionRetryQueue.Operation, _ infos: [BanInfo]) async {
            for info in infos {
                if case .failure = await retries.perform(kind, info, on: self) { failures += 1 }
            }
        }
        switch operation {
        case .ban(let infos): await run(.ban, infos)
        case .reban(let infos): await run(.reban, infos)
        case .prolong(let infos): if isProlongable { await run(.prolong, infos) }
        case .unban(let infos): await run(.unban, infos)
        case .flush(let infos):
            await retries.cancelAll(on: self)
            do { _ = try await flush(orUnban: infos) } catch {
                failures += 1
                log.log(.error, "fail2ban.actions", "[\(jail)] \(error)")
            }
        }
        return failures
    }

    func checkAndRepair(log: ServerLog, jail: String) async -> Bool {
        guard !(property("actioncheck") ?? "").isEmpty, !(await check()) else { return false }
        log.log(.warning, "fail2ban.actions", "[\(jail)] \(name): actioncheck failed; repairing and banning the current addresses again")
        do {
            try await repair()
            return true
        } catch {
            log.log(.error, "fail2ban.actions", "[\(jail)] \(name): repair failed: \(error)")
            return false
        }
    }
}
