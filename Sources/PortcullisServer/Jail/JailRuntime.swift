import Foundation
import PortcullisActions
import PortcullisConfig
import PortcullisFilter
import PortcullisJail
import PortcullisLogs
import PortcullisStore
import AsyncAlgorithms

/// One running jail: its log sources feed its filter, the filter's failures feed its decision
/// core, and every ban is made durable in the store before its actions run.
///
/// Lines are filtered on the reading task (`JailFilter`) and their failures handled here in the
/// order they were read, while control commands (`status`, `banip`, `set …`) interleave between
/// batches.
actor JailRuntime {
    nonisolated let name: String
    /// `[name] Found `, the start of the line logged for every failure.
    let foundPrefix: [UInt8]
    var definition: JailDefinition
    var core: JailCore
    let filter: JailFilter
    var ignore: IgnoreChecker
    let store: any BanStore
    let log: ServerLog
    /// Runs the jail's shell commands: its actions' and `ignorecommand`.
    let runner: CommandRunner
    var worker: ActionWorker
    var watcher: FileWatcher?
    var journal: JournalReader?
    var readTask: Task<Void, Never>?
    /// Hands filtered batches to the actor; with `readTask` it forms the jail's two-stage pipeline.
    var handleTask: Task<Void, Never>?
    var expiryTask: Task<Void, Never>?
    var pendingPositions: [String: LogPosition] = [:]
    var lastPositionSave = 0.0
    var isIdle = false
    /// Bans decided while a batch of lines is processed, recorded together at its end.
    var batchBans: [BanTicket] = []
    /// Bans prolonged during the batch (a banned address failing again), recorded with them.
    var batchProlonged: [BanTicket] = []
    var random = JailRandom()
    /// The bans of the last batch on their way to the store (see `startRecording`).
    var recording: Task<Void, Never>?
    /// Files being read again from the start after a rewrite in place or a replacement (a
    /// blocklist such as Krawl's `malicious_ips.txt`, rewritten every few minutes). Until the
    /// end is reached, a line of an address already banned is the list being synced, not news:
    /// only new addresses are banned, and the rest is not logged one "already banned" at a time.
    var resyncingFiles: Set<String> = []
    var resyncedAlreadyBanned = 0
    /// Counters for `/metrics`, since the jail started.
    var linesRead = 0
    var unbanCount = 0

    init(definition: JailDefinition, store: any BanStore, log: ServerLog, firewalls: NativeFirewalls,
         runner: CommandRunner = CommandRunner()) throws(ServerError) {
        name = definition.name
        foundPrefix = Array("[\(definition.name)] Found ".utf8)
        self.runner = runner
        self.definition = definition
        self.store = store
        self.log = log
        guard let filterDefinition = definition.filter else {
            throw .configuration("Jail '\(definition.name)' has no filter")
        }
        do {
            let settings = try JailSettings(definition: definition)
            let list = try IgnoreList(entries: definition.ignoreIP, ignoreSelf: definition.ignoreSelf ?? true)
            core = JailCore(name: definition.name, settings: settings, ignoreList: list)
            ignore = IgnoreChecker(list: list, command: definition.ignoreCommand, cacheOptions: definition.options["ignorecache"])
        } catch {
            throw .configuration("Jail '\(definition.name)': \(error)")
        }
        var options = LineFilter.Options()
        options.useDns = definition.usedns ?? "warn"
        options.checkFindTime = true
        options.inOperation = false
        options.findTime = core.failures.settings.findTime
        do {
            filter = JailFilter(try LineFilter(definition: filterDefinition, options: options, timeZone: definition.logTimezone))
        } catch {
            throw .configuration("Jail '\(definition.name)': \(error)")
        }
        for python in definition.pythonActions {
            log.log(.error, "fail2ban.jail", "[\(definition.name)] Python action '\(python.name)' (\(python.path)) is not supported by Portcullis; the jail runs without it")
        }
        let banTime = core.settings.banTime
        var actions: [any JailAction] = []
        for action in definition.actions {
            if let firewall = try firewalls.firewall(for: action) {
                actions.append(NativeSetAction(definition: action, firewall: firewall, whitelist: ignore.firewallWhitelist, jailBanTime: banTime))
            } else {
                actions.append(CommandAction(definition: action, runner: runner, log: log.sink, jailBanTime: banTime))
            }
        }
        worker = ActionWorker(jail: definition.name, actions: actions, log: log)
    }

    // MARK: - Life cycle

    /// Starts the actions, restores the bans the store still holds (re-applying them before any
    /// new line is read), then starts reading the logs.
    func start() async {
        log.log(.info, "fail2ban.jail", "Creating new jail '\(name)'")
        do {
            let scope = core.settings.increment?.overallJails == true ? nil : name
            let history = try await store.banHistories(jail: scope)
            core.seedHistory(history.mapValues { BanHistoryEntry(count: $0.banCount, timeOfBan: $0.lastTimeOfBan, banTime: $0.lastBanTime) })
        } catch {
            log.log(.error, "fail2ban.jail", "[\(name)] Reading ban history failed: \(error)")
        }
        for action in worker.actions {
            do { try await action.start() } catch {
                log.log(.error, "fail2ban.actions", "[\(name)] \(error)")
            }
        }
        await restoreBans()
        await startReading()
        startExpiry()
        log.log(.info, "fail2ban.jail", "Jail '\(name)' started")
    }

    /// Stops reading, saves log positions and stops the actions (`actionstop`). Bans stay in the
    /// store and come back at the next start. When the whole daemon shuts down, native sets stay
    /// in the kernel (their elements time out by themselves), so a restart leaves no gap.
    func stop(daemonShutdown: Bool = false) async {
        readTask?.cancel()
        handleTask?.cancel()
        expiryTask?.cancel()
        watcher?.stop()
        journal?.stop()
        await settleRecords()
        await savePositions(force: true)
        await worker.drain()
        let banned = core.bans.tickets.map { BanInfo($0) }
        for action in worker.actions {
            do {
                if daemonShutdown { try await action.shutDown(banned: banned) } else { try await action.flushAndStop(banned: banned) }
            } catch {
                log.log(.error, "fail2ban.actions", "[\(name)] \(error)")
            }
        }
        log.log(.info, "fail2ban.jail", "Jail '\(name)' stopped")
    }

    // MARK: - Reading

    func startReading() async {
        let backend = ((try? OptionSpec.parse(definition.backend))?.name ?? definition.backend).lowercased()
        if backend == "systemd" {
            startJournal()
            return
        }
        let kind = LogBackend(configValue: backend) ?? .auto
        do {
            let watcher = try FileWatcher(backend: kind)
            self.watcher = watcher
            for spec in definition.logPath.flatMap({ LogPathSpec.parse(logpath: $0) }) {
                let path = spec.pattern
                let start = await startPosition(path: path, tail: spec.start != nil)
                if path.contains("*") || path.contains("?") || path.contains("[") {
                    _ = try watcher.add(glob: path, start: start)
                } else {
                    try watcher.add(path: path, start: start)
                }
                log.log(.info, "fail2ban.filter", "Added logfile: '\(path)'")
            }
            consumeFiltered(watcher.events())
        } catch {
            log.log(.error, "fail2ban.filter", "[\(name)] \(error)")
        }
    }

    func startJournal() {
        let options = (try? OptionSpec.parse(definition.backend))?.options ?? OrderedOptions()
        let matches = JournalReader.parseJournalMatch((definition.filter?.journalMatch ?? []).joined(separator: " "))
        do {
            let reader = try JournalReader(matches: matches, journalPath: options["journalpath"],
                                           journalFiles: options["journalfiles"].map { $0.split(separator: " ").map(String.init) })
            journal = reader
            try reader.seek(time: Clock.now() - core.settings.findTime)
            consume(reader.events(pollInterval: 1.0)) { jail, event in await jail.handle(event) }
        } catch {
            log.log(.error, "fail2ban.filter", "[\(name)] \(error)")
        }
    }

    /// Reads a file watcher's events in order until the jail stops: the reading task filters a
    /// batch, hands it over (waiting while the actor still works on the one before) and goes on
    /// with the next.
    func consumeFiltered(_ events: AsyncStream<LogEvent>) {
        let channel = AsyncChannel<JailFilter.Event>()
        let filter = self.filter
        readTask = Task {
            for await event in events {
                await channel.send(filter.filter(event))
                if Task.isCancelled { break }
            }
            channel.finish()
        }
        handleTask = Task { [weak self] in
            for await event in channel {
                guard let self else { return }
                await self.handle(event)
            }
        }
    }

    /// Reads a log source's events in order, one at a time, until the jail stops.
    func consume<Event: Sendable>(_ events: AsyncStream<Event>,
                                  _ handle: @escaping @Sendable (JailRuntime, Event) async -> Void) {
        readTask = Task { [weak self] in
            for await event in events {
                guard let self else { return }
                await handle(self, event)
            }
        }
    }

    func startPosition(path: String, tail: Bool) async -> LogStart {
        let findTime = core.settings.findTime
        let detector = definition.filter.flatMap { try? DateDetectorBox(definition: $0, timeZone: definition.logTimezone) }
        let byTime = LogStart.time(Clock.now() - findTime) { line in detector?.time(of: line) }
        if tail { return .end }
        if let stored = try? await store.logPosition(jail: name, path: path) {
            return .resume(LogPosition(path: path, firstLineHash: stored.firstLineHash, offset: stored.offset), otherwise: byTime)
        }
        return byTime
    }

    func handle(_ event: JailFilter.Event) async {
        switch event {
        case .lines(let lines):
            await process(lines)
        case .other(let event):
            await handle(event)
        }
    }

    func handle(_ event: LogEvent) async {
        switch event {
        case .lines(let batch):
            await process(filter.filter(batch, now: Clock.now()))
        case .rotated(let path, let how):
            log.log(.info, "fail2ban.filter", "[\(name)] Log rotation detected for \(path) (\(how))")
            resyncingFiles.insert(path)
        case .missing(let path):
            log.log(.warning, "fail2ban.filter", "[\(name)] Log file \(path) is missing; waiting for it")
        case .error(let error):
            log.log(.error, "fail2ban.filter", "[\(name)] \(error)")
        }
    }

    func handle(_ event: JournalEvent) async {
        switch event {
        case .entries(let entries):
            log.holdWrites()
            defer { log.releaseWrites() }
            let now = Clock.now()
            guard !isIdle else { return }
            linesRead += entries.count
            await handle(filter.filter(entries, now: now), now: now, resyncing: false)
            startRecording(takeBatchBans(), prolonged: takeBatchProlonged())
        case .error(let error):
            log.log(.error, "fail2ban.filter", "[\(name)] \(error)")
        }
    }

    /// The failures of one batch of lines from a file, each to the core; its bans recorded
    /// together.
    func process(_ lines: JailFilter.FilteredLines) async {
        log.holdWrites()
        defer { log.releaseWrites() }
        let now = Clock.now()
        let resyncing = resyncingFiles.contains(lines.path)
        linesRead += lines.lineCount
        if !isIdle {
            await handle(lines.failures, now: now, resyncing: resyncing)
            startRecording(takeBatchBans(), prolonged: takeBatchProlonged())
        }
        pendingPositions[lines.path] = lines.position
        if resyncing, lines.reachedEnd {
            resyncingFiles.remove(lines.path)
            if resyncedAlreadyBanned > 0 {
                log.log(.info, "fail2ban.filter", "[\(name)] \(lines.path) read again: \(resyncedAlreadyBanned) address(es) already banned")
                resyncedAlreadyBanned = 0
            }
        }
        await savePositions(force: false)
    }

    func savePositions(force: Bool) async {
        let now = Clock.now()
        guard !pendingPositions.isEmpty, force || now - lastPositionSave >= 1 else { return }
        // The lines' bans first: a position saved before them could skip them after a crash.
        await settleRecords()
        let positions = pendingPositions.values.map {
            StoredLogPosition(jail: name, path: $0.path, firstLineHash: $0.firstLineHash, offset: $0.offset)
        }
        pendingPositions.removeAll()
        lastPositionSave = now
        do { try await store.setLogPositions(positions) } catch {
            log.log(.error, "fail2ban.filter", "[\(name)] Saving log positions failed: \(error)")
        }
    }

    // MARK: - Failures and bans

    /// Whether handling a failure can wait for something outside the actor: `ignorecommand`
    /// runs a process, `bantime.overalljails` reads the address' bans from the store.
    var failuresLeaveTheActor: Bool {
        ignore.hasCommand || core.settings.increment?.overallJails == true
    }

    /// A batch's failures, in order. Without `ignorecommand` or `bantime.overalljails` nothing
    /// is awaited: each failure is handled in place, with no copy and no suspension point.
    func handle(_ failures: [Failure], now: Double, resyncing: Bool) async {
        if failuresLeaveTheActor {
            for failure in failures { await handle(failure, now: now, resyncing: resyncing) }
        } else {
            failures.withUnsafeBufferPointer { failures in
                for failure in failures { handleWithoutWaiting(failure, now: now, resyncing: resyncing) }
            }
        }
    }

    func handle(_ failure: Failure, now: Double, resyncing: Bool = false) async {
        guard let ticket = admit(failure, now: now, resyncing: resyncing) else { return }
        if let match = await ignoredBy(ticket.id) {
            logIgnored(ticket.id, match)
            return
        }
        count(ticket, now: now, overallHistory: await overallHistory(of: ticket.id))
    }

    /// `handle` for a jail whose failures never leave the actor (`failuresLeaveTheActor` false).
    func handleWithoutWaiting(_ failure: Failure, now: Double, resyncing: Bool) {
        guard let ticket = admit(failure, now: now, resyncing: resyncing) else { return }
        if let match = ignore.ignoredByLists(ticket.id) {
            logIgnored(ticket.id, match)
            return
        }
        count(ticket, now: now, overallHistory: nil)
    }

    /// The failure's ticket, or nil when it has no id yet, or names an address already banned
    /// while its file is read again.
    private func admit(_ failure: Failure, now: Double, resyncing: Bool) -> FailureTicket? {
        guard let ticket = FailureTicket(failure, now: now) else { return nil }
        if resyncing, core.bans.contains(ticket.id) {
            resyncedAlreadyBanned += 1
            return nil
        }
        return ticket
    }

    /// fail2ban's `[sshd] Ignore 192.0.2.1 by ip` (`ignoreself rule`, `ip`, `dns`, `command`).
    func logIgnored(_ id: String, _ match: IgnoreMatch) {
        log.log(.info, "fail2ban.filter", "[\(name)] Ignore \(id) by \(match.logSource)")
    }

    /// Logs the `Found` line and counts the failure; a ban it brings is recorded with the batch.
    private func count(_ ticket: FailureTicket, now: Double, overallHistory: BanHistoryEntry?) {
        log.log(.info, "fail2ban.filter") { [foundPrefix] line in
            line.append(contentsOf: foundPrefix)
            line.append(contentsOf: ticket.id.utf8)
            line.append(contentsOf: " - ".utf8)
            line.append(contentsOf: Clock.text(ticket.time).utf8)
        }
        apply(core.handle(ticket, now: now, random: random.unit(), overallHistory: overallHistory), failureTime: ticket.time)
    }

    func apply(_ decision: JailDecision, failureTime: Double) {
        switch decision {
        case .ban(let ticket):
            batchBans.append(ticket)
        case .alreadyBanned(let ticket):
            // As fail2ban: expected right after a ban (lines still in flight), odd after a minute.
            let late = failureTime - ticket.timeOfBan
            log.log(late < 3 ? .debug : late < 60 ? .notice : .warning, "fail2ban.actions", "[\(name)] \(ticket.id) already banned")
        case .prolonged(let ticket):
            logProlonged(ticket)
            batchProlonged.append(ticket)
        case .expired(let ticket):
            log.log(.info, "fail2ban.actions", "[\(name)] Ignore \(ticket.id), expired bantime")
        case .counted:
            break
        }
    }

    func logProlonged(_ ticket: BanTicket) {
        log.log(.notice, "fail2ban.actions", "[\(name)] Prolong \(ticket.id) until \(ticket.endTime.map(Clock.text) ?? "permanent")")
    }

    func takeBatchBans() -> [BanTicket] {
        defer { batchBans.removeAll() }
        return batchBans
    }

    func takeBatchProlonged() -> [BanTicket] {
        defer { batchProlonged.removeAll() }
        return batchProlonged
    }

    /// `bantime.overalljails`: the address' bans in every jail, from the store.
    func overallHistory(of id: String) async -> BanHistoryEntry? {
        guard core.settings.increment?.overallJails == true,
              let history = try? await store.banHistory(ip: id, jail: nil) else { return nil }
        return BanHistoryEntry(count: history.banCount, timeOfBan: history.lastTimeOfBan, banTime: history.lastBanTime)
    }

    /// Records bans durably — the new and the prolonged bans of one batch of lines in one
    /// transaction, prolonged ones last so that they win — then logs the new ones and hands them
    /// to the actions, in order; returns when that is done.
    func recordAndApply(_ tickets: [BanTicket], prolonged: [BanTicket] = []) async {
        startRecording(tickets, prolonged: prolonged)
        await settleRecords()
    }

    /// `recordAndApply` without waiting: a batch's bans go to the store while the jail works on
    /// the next batch (with two cores the store's transaction no longer adds to a burst's time).
    /// Each recording waits for the one before, so bans are stored and reported in order, and a
    /// ban is still durable before its `Ban` line and its actions.
    func startRecording(_ tickets: [BanTicket], prolonged: [BanTicket]) {
        guard !tickets.isEmpty || !prolonged.isEmpty else { return }
        let previous = recording
        let rows = (tickets + prolonged).map { StoredBan($0, jail: name) }
        recording = Task {
            await previous?.value
            do { try await store.addBans(rows) } catch {
                log.log(.error, "fail2ban.actions", "[\(name)] Recording \(rows.count) ban(s) failed: \(error); banning anyway")
            }
            report(tickets, prolonged: prolonged)
        }
    }

    /// Waits until every ban recorded so far is stored and reported: whatever changes the store
    /// or the actions next (an unban, saved log positions, a stop) comes after them.
    func settleRecords() async {
        await recording?.value
    }

    /// The `Ban` lines and the actions of recorded bans, then the prolonged bans' actions.
    private func report(_ tickets: [BanTicket], prolonged: [BanTicket]) {
        if !tickets.isEmpty {
            for ticket in tickets {
                if ticket.banCount > 1, ticket.banTime != core.settings.banTime {
                    log.log(.notice, "fail2ban.actions", "[\(name)] Increase Ban \(ticket.id) (\(ticket.banCount) # \(Self.duration(ticket.banTime)) -> \(ticket.endTime.map(Clock.text) ?? "permanent"))")
                }
                log.log(.notice, "fail2ban.actions", "[\(name)] Ban \(ticket.id)")
            }
            worker.submit(.ban(tickets.map { BanInfo($0) }))
        }
        if !prolonged.isEmpty { worker.submit(.prolong(prolonged.map { BanInfo($0) })) }
    }

    /// The ignore decision: the lists first, on this actor; only `ignorecommand` (a process) is
    /// awaited, and the checker's cache is written back after it.
    func ignoredBy(_ id: String) async -> IgnoreMatch? {
        if let match = ignore.ignoredByLists(id) { return match }
        guard ignore.hasCommand else { return nil }
        var checker = ignore
        let match = await checker.ignoredByCommand(id, runner: runner)
        ignore = checker
        return match
    }

    /// Puts back the bans the store holds that have not expired, skipping ignored addresses.
    func restoreBans() async {
        let now = Clock.now()
        let stored: [StoredBan]
        do { stored = try await store.currentBans(jail: name, now: now) } catch {
            log.log(.error, "fail2ban.actions", "[\(name)] Restore bans failed: \(error)")
            return
        }
        var restored: [BanInfo] = []
        restored.reserveCapacity(stored.count)
        for ban in stored {
            if let match = await ignoredBy(ban.ip) {
                logIgnored(ban.ip, match)
                continue
            }
            var ticket = BanTicket(ban)
            ticket.restored = true
            guard core.restore(ticket, now: now) else { continue }
            restored.append(BanInfo(ticket))
        }
        // Every restored ban in one batch (a native set applies them in one transaction), handed
        // over before the log lines are written so the firewall works while the log is.
        if !restored.isEmpty { worker.submit(.ban(restored)) }
        log.holdWrites()
        for info in restored { log.log(.notice, "fail2ban.actions", "[\(name)] Restore Ban \(info.ip)") }
        log.releaseWrites()
    }

    func startExpiry() {
        expiryTask = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                let wait = await self.expireDue()
                try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
            }
        }
    }

    /// Unbans what expired; returns how long to wait before looking again.
    func expireDue() async -> Double {
        let now = Clock.now()
        await unbanned(core.expire(now: now))
        guard let next = core.bans.nextExpiry else { return 1 }
        return min(1, max(0.01, next - now))
    }

    /// Lifts bans: out of the store (one transaction), logged, and handed to the actions as one batch.
    func unbanned(_ tickets: [BanTicket]) async {
        guard !tickets.isEmpty else { return }
        await settleRecords()
        do { try await store.removeBans(jail: name, ips: tickets.map(\.id)) } catch {
            log.log(.error, "fail2ban.actions", "[\(name)] Removing \(tickets.count) ban(s) from the store failed: \(error)")
        }
        for ticket in tickets { log.log(.notice, "fail2ban.actions", "[\(name)] Unban \(ticket.id)") }
        unbanCount += tickets.count
        worker.submit(.unban(tickets.map { BanInfo($0) }))
    }

    static func duration(_ seconds: Double) -> String {
        if seconds < 0 { return "permanent" }
        let total = Int(seconds)
        let days = total / 86400, hours = total % 86400 / 3600, minutes = total % 3600 / 60, secs = total % 60
        let clock = String(format: "%02d:%02d:%02d", hours, minutes, secs)
        return days > 0 ? "\(days) days, \(clock)" : clock
    }
}
