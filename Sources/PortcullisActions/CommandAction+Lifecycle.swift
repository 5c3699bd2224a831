import PortcullisConfig

/// The operations a jail drives: start, ban, unban, flush, stop, check, repair.
extension CommandAction {
    /// `actionstart` for every family not yet started; nothing when the action starts on demand.
    public func start() async throws(ActionError) {
        try await exclusive { () async throws(ActionError) in
            guard !startsOnDemand else { return }
            let pending = families.filter { state(of: $0) & 1 == 0 }
            guard !pending.isEmpty else { return }
            try await startFamilies(pending)
        }
    }

    /// `actionstop` for every started family; the daemon flushes first, as fail2ban's jail does.
    public func stop() async throws(ActionError) {
        try await exclusive { () async throws(ActionError) in
            let running = started.filter { $0.state != 0 }.map(\.family)
            guard !running.isEmpty else { return }
            started = []
            try await stopFamilies(running)
        }
    }

    /// `actionban` with the ban's tags, for the commands of the address's family (started first
    /// when on demand). Restored bans skip a `norestored` action.
    public func ban(_ info: BanInfo) async throws(ActionError) {
        try await exclusive { () async throws(ActionError) in
            guard !(info.restored && skipsRestoredBans) else {
                log?(.debug, Self.logger, "[\(jail)] \(name): skip restored ban of \(info.ip) (norestored)")
                return
            }
            try await banLocked(info, operation: "actionban")
        }
    }

    /// `actionreban` when set, else `actionban` (after a repair raised the ban epoch); unlike a
    /// ban, as in fail2ban, also for restored bans of a `norestored` action.
    public func reban(_ info: BanInfo) async throws(ActionError) {
        try await exclusive { () async throws(ActionError) in
            let operation = (properties["actionreban"] ?? "").isEmpty ? "actionban" : "actionreban"
            try await banLocked(info, operation: operation)
        }
    }

    /// `actionprolong`, when a ban's time was extended.
    public func prolong(_ info: BanInfo) async throws(ActionError) {
        try await exclusive { () async throws(ActionError) in
            guard !(info.restored && skipsRestoredBans), isProlongable else { return }
            try await process("actionprolong", info: info, family: info.family)
        }
    }

    /// `actionunban`, where a ban of that family succeeded before (otherwise nothing to undo).
    public func unban(_ info: BanInfo) async throws(ActionError) {
        try await exclusive { () async throws(ActionError) in
            try await unbanLocked(info)
        }
    }

    /// `actionflush` for every family holding bans; without `actionflush`, `actionunban` for each
    /// of `banned` (the jail's current bans), as fail2ban's jail falls back to.
    @discardableResult
    public func flush(orUnban banned: [BanInfo] = []) async throws(ActionError) -> FlushOutcome {
        try await exclusive { () async throws(ActionError) -> FlushOutcome in
            guard (properties["actionflush"] ?? "").isEmpty else {
                let holding = started.filter { $0.state & 3 == 3 }.map(\.family)
                guard !holding.isEmpty else { return .nothingToFlush }
                try await executeOperation("actionflush", families: holding) { family, ok in
                    if ok { self.setState(of: family) { $0 & ~2 } }
                }
                return .flushed
            }
            var firstError: ActionError?
            var count = 0
            for info in banned {
                do throws(ActionError) {
                    try await unbanLocked(info)
                    count += 1
                } catch {
                    firstError = firstError ?? error
                }
            }
            if let firstError { throw firstError }
            return .unbannedEach(count)
        }
    }

    /// What fail2ban's jail does when it stops: flush (or unban each of `banned`), then
    /// `actionstop` even when the flush failed; the first error is thrown after both.
    public func flushAndStop(banned: [BanInfo]) async throws(ActionError) {
        var firstError: ActionError?
        do { try await flush(orUnban: banned) } catch { firstError = error }
        do { try await stop() } catch { firstError = firstError ?? error }
        if let firstError { throw firstError }
    }

    /// `actionreload` for every started family.
    public func reload() async throws(ActionError) {
        try await exclusive { () async throws(ActionError) in
            try await executeOperation("actionreload", families: started.filter { $0.state != 0 }.map(\.family))
        }
    }

    /// `actioncheck` for every started family; true when all pass or there is no check.
    public func check() async -> Bool {
        (try? await exclusive { () async throws(ActionError) -> Bool in
            for family in started.filter({ $0.state != 0 }).map(\.family) {
                guard try await runCheck(family: family) else { return false }
            }
            return true
        }) ?? false
    }

    /// fail2ban's `consistencyCheck`: `actioncheck` for every started family, repairing a
    /// failing one; false when some family could not be restored (it is then marked stopped).
    public func consistencyCheck() async -> Bool {
        (try? await exclusive { () async throws(ActionError) -> Bool in
            guard !(properties["actioncheck"] ?? "").isEmpty else { return true }
            var sane = true
            for family in started.filter({ $0.state != 0 }).map(\.family) {
                if await invariantCheck(family: family, forUnban: false) != .sane {
                    setState(of: family) { _ in 0 }
                    executed["actionstart"]?[family] = nil
                    sane = false
                }
            }
            return sane
        }) ?? false
    }

    /// `actionrepair` for every started family (every family when none is), or stop and start
    /// where there is none. Raises the ban epoch: bans may have to be made again.
    public func repair() async throws(ActionError) {
        try await exclusive { () async throws(ActionError) in
            var targets = started.filter { $0.state != 0 }.map(\.family)
            if targets.isEmpty { targets = families }
            banEpoch += 1
            var repaired = Set<String>()
            for family in targets {
                // Families whose commands read the same (a plain action's "" and "inet4") are one.
                let key = try operationText("actionrepair", family: family) + "\u{0}"
                    + operationText("actionstop", family: family) + "\u{0}" + operationText("actionstart", family: family)
                if repaired.contains(key) {
                    setState(of: family) { _ in 1 }
                    continue
                }
                try await repairFamily(family, forceStart: true)
                repaired.insert(key)
            }
        }
    }

    // MARK: - Steps (called with the action held)

    func banLocked(_ info: BanInfo, operation: String) async throws(ActionError) {
        let family = info.family
        if startsOnDemand, state(of: family) == 0 {
            try await startFamilies(family.isEmpty ? families : [family])
        }
        try await process(operation, info: info, family: family)
        setState(of: family) { $0 | 3 }
    }

    func unbanLocked(_ info: BanInfo) async throws(ActionError) {
        let family = info.family
        guard state(of: family) & 2 != 0 else {
            log?(.debug, Self.logger, "[\(jail)] \(name): nothing banned for family '\(family)', skip unban of \(info.ip)")
            return
        }
        try await process("actionunban", info: info, family: family)
    }

    func startFamilies(_ list: [String]) async throws(ActionError) {
        try await executeOperation("actionstart", families: list) { family, ok in
            if ok {
                self.executed["actionstop"]?[family] = nil
                self.setState(of: family) { _ in 1 }
            }
        }
    }

    func stopFamilies(_ list: [String]) async throws(ActionError) {
        try await executeOperation("actionstop", families: list) { family, ok in
            if ok { self.executed["actionstart"]?[family] = nil }
        }
    }

    func state(of family: String) -> Int {
        started.first { $0.family == family }?.state ?? 0
    }

    func setState(of family: String, _ change: (Int) -> Int) {
        if let index = started.firstIndex(where: { $0.family == family }) {
            started[index].state = change(started[index].state)
        } else {
            started.append((family, change(0)))
        }
    }
}
