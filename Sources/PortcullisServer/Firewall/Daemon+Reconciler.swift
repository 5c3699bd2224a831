import Foundation
import PortcullisFirewall

/// Bans that survive a firewall reload (fail2ban's issues #2055 and #1680): the kernel is
/// compared with the bans the daemon holds, and what is missing comes back in one batch.
///
/// - A ruleset change reported by netlink (`nft flush ruleset`, `iptables-restore`, a firewall
///   reload; iptables-nft reports too) triggers a check at once, coalesced over 200 ms.
/// - Every 5 s a cheap check (structure: table, chains, rules, sets) runs anyway, for
///   iptables-legacy and kernels without the netlink group; every 60 s a full one compares
///   every element.
/// - Stock shell actions are checked the same way with their `actioncheck`, repaired with
///   `actionrepair` (or stop and start), and every current ban of the jail is made again.
extension Daemon {
    static let reconcileInterval: Duration = .seconds(5)
    /// Every how many periodic checks one compares every element.
    static let fullReconcileEvery = 12

    func startReconciler() -> Task<Void, Never> {
        let monitor = firewalls.monitor
        let changes = monitor.changes()
        // Held strongly: `run()` cancels this task before it returns.
        let daemon = self
        return Task {
            await withTaskCancellationHandler {
                async let onChanges: Void = {
                    for await _ in changes {
                        try? await Task.sleep(for: .milliseconds(200))
                        await daemon.reconcile(full: false, reason: "ruleset changed")
                    }
                }()
                var tick = 0
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.reconcileInterval)
                    guard !Task.isCancelled else { break }
                    tick += 1
                    await daemon.reconcile(full: tick % Self.fullReconcileEvery == 0, reason: "periodic check")
                }
                await onChanges
            } onCancel: {
                monitor.stop()
            }
        }
    }

    /// One pass over every native firewall and every jail's shell actions.
    func reconcile(full: Bool, reason: String) async {
        for firewall in firewalls.all {
            switch await firewall.reconcile(full: full, now: Clock.now()) {
            case .success(let report) where report.repaired:
                log.log(.warning, "fail2ban.actions", "Firewall repaired (\(reason)): \(report)")
            case .success:
                break
            case .failure(let error):
                log.log(.error, "fail2ban.actions", "Firewall check failed (\(reason)): \(error)")
            }
        }
        for jail in runningJails() { _ = await jail.healActions() }
    }

    func runningJails() -> [JailRuntime] { jailOrder.compactMap { jails[$0] } }
}
