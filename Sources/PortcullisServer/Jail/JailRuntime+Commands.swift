import Foundation
import PortcullisActions
import PortcullisClient
import PortcullisConfig
import PortcullisFilter
import PortcullisJail
import PortcullisLogs

/// The jail's side of fail2ban-client's commands: `status`, `banip`, `unbanip`, `get`/`set`.
/// Values are shaped like fail2ban's replies so the client prints the same thing.
extension JailRuntime {
    func status(flavor: String?) -> ControlValue {
        var filterPart: [(String, ControlValue)] = [("Currently failed", .int(core.failures.currentlyFailed)),
                                                    ("Total failed", .int(core.failures.totalFailed))]
        if journal != nil {
            let matches = definition.filter?.journalMatch ?? []
            filterPart.append(("Journal matches", .strings([matches.joined(separator: " + ")])))
        } else {
            filterPart.append(("File list", .strings(filePaths)))
        }
        var actionsPart: [(String, ControlValue)] = [("Currently banned", .int(core.bans.currentlyBanned)),
                                                     ("Total banned", .int(core.bans.totalBanned))]
        if flavor != "short" { actionsPart.append(("Banned IP list", .strings(core.bans.tickets.map { $0.id }))) }
        return .pairs([("Filter", .pairs(filterPart)), ("Actions", .pairs(actionsPart))])
    }

    /// The files being watched (globs expanded), or the configured paths while none is open.
    var filePaths: [String] {
        if let watcher { return watcher.paths }
        return definition.logPath.flatMap { LogPathSpec.parse(logpath: $0).map(\.pattern) }
    }

    /// The current bans, oldest expiry first; with times as fail2ban prints them.
    func banList(withTime: Bool) -> [String] {
        let tickets = core.bans.tickets.sorted { ($0.endTime ?? .infinity) < ($1.endTime ?? .infinity) }
        guard withTime else { return tickets.map(\.id) }
        return tickets.map { t in
            "\(t.id) \t\(Clock.text(t.timeOfBan)) + \(Int(t.banTime)) = \(t.endTime.map(Clock.text) ?? "9999-12-31 23:59:59")"
        }
    }

    func isBanned(_ id: String) -> Bool { core.bans.contains(id) }

    /// `set <jail> banip <ip> …`: the number of addresses newly banned.
    /// `set <jail> banip [--force] <ip> …`: the number banned. An address the jail ignores
    /// (`ignoreip`, `ignoreself`, `ignorecommand`) is refused with the reason, and nothing is banned,
    /// unless `--force` is given: the whitelist stays on top even of manual bans.
    func banIPs(_ ids: [String], force: Bool = false) async throws(ServerError) -> Int {
        if !force {
            for id in ids {
                guard let match = await ignoredBy(id) else { continue }
                throw .refused("\(id) is ignored by jail '\(name)' (\(match.entry)); nothing was banned. "
                    + "To ban it anyway: set \(name) banip --force \(id)")
            }
        }
        var tickets: [BanTicket] = [], prolonged: [BanTicket] = []
        let now = Clock.now()
        for id in ids {
            let overall = await overallHistory(of: id)
            switch core.manualBan(id, now: now, random: random.unit(), overallHistory: overall) {
            case .ban(let ticket):
                tickets.append(ticket)
            case .prolonged(let ticket):
                logProlonged(ticket)
                prolonged.append(ticket)
            default:
                log.log(.notice, "fail2ban.actions", "[\(name)] \(id) already banned")
            }
        }
        await recordAndApply(tickets, prolonged: prolonged)
        return tickets.count
    }

    /// `set <jail> unbanip [--report-absent] <ip> …`: the number unbanned; absent ones are an
    /// error only when reported.
    func unbanIPs(_ ids: [String], reportAbsent: Bool) async throws(ServerError) -> Int {
        var lifted: [BanTicket] = []
        var missed: [String] = []
        await settleRecords()
        for id in ids {
            // A manual unban also forgets the address' ban history, as fail2ban's does.
            try? await store.forgetBans(jail: name, ip: id)
            if let ticket = core.unban(id) {
                lifted.append(ticket)
            } else {
                missed.append(id)
            }
        }
        await unbanned(lifted)
        let count = lifted.count
        if reportAbsent, !missed.isEmpty {
            throw .invalidValue(option: "unbanip", value: missed.joined(separator: ", "), reason: "not banned")
        }
        return count
    }

    /// `unbanall`/`unban --all`: every ban lifted in one flush.
    func unbanAll() async -> Int {
        await settleRecords()
        let tickets = core.bans.tickets
        for ticket in tickets { _ = core.unban(ticket.id) }
        do { try await store.forgetBans(jail: name, ip: nil) } catch {
            log.log(.error, "fail2ban.actions", "[\(name)] Removing bans from the store failed: \(error)")
        }
        for ticket in tickets { log.log(.notice, "fail2ban.actions", "[\(name)] Unban \(ticket.id)") }
        if !tickets.isEmpty { worker.submit(.flush(tickets.map { BanInfo($0) })) }
        return tickets.count
    }

    // MARK: get / set

    func get(_ words: [String]) async throws(ServerError) -> ControlValue {
        guard let option = words.first else { throw .invalidCommand("(no get action)") }
        switch option {
        case "logpath": return .list(filePaths.map { .string($0) })
        case "logencoding": return .string(definition.logEncoding ?? "auto")
        case "journalmatch": return .list((definition.filter?.journalMatch ?? []).map { .string($0) })
        case "ignoreself": return .bool(ignore.list.ignoreSelf)
        case "ignoreip": return .list(ignore.list.entries.map { .string($0) })
        case "ignorecommand": return .string(ignore.command ?? "")
        case "ignorecache": return ignore.cacheOptions.map { .string($0) } ?? .null
        case "prefregex": return .string(definition.filter?.prefRegex ?? "")
        case "failregex": return .list((definition.filter?.failRegex ?? []).map { .string($0) })
        case "ignoreregex": return .list((definition.filter?.ignoreRegex ?? []).map { .string($0) })
        case "usedns": return .string(filter.withFilter { $0.options.useDns })
        case "findtime": return .int(Int(core.settings.findTime))
        case "datepattern": return definition.filter?.datePattern.map { .string($0) } ?? .null
        case "logtimezone": return definition.logTimezone.map { .string($0) } ?? .null
        case "maxmatches": return .int(core.settings.maxMatches)
        case "maxretry": return .int(core.settings.maxRetry)
        case "maxlines": return .int(filter.withFilter { $0.maxLines })
        case "bantime": return .int(Int(core.settings.banTime))
        case "banip": return .list(banList(withTime: words.dropFirst().first == "--with-time").map { .string($0) })
        case "banned": return bannedValue(Array(words.dropFirst()))
        case "actions": return .list(worker.actions.map { .string($0.name) })
        case "action":
            guard words.count >= 3, let action = worker.actions.first(where: { $0.name == words[1] }) else {
                throw .invalidCommand("(no action '\(words.dropFirst().first ?? "")' in jail \(name))")
            }
            if let command = await action.command(words[2]) { return .string(command) }
            if let value = await action.property(words[2]) { return .string(value) }
            throw .invalidCommand("(action '\(words[1])' has no property '\(words[2])')")
        default:
            if option.hasPrefix("bantime.") { return bantimeExtra(String(option.dropFirst("bantime.".count))) }
            throw .invalidCommand("(no get action or not yet implemented)")
        }
    }

    func bannedValue(_ ids: [String]) -> ControlValue {
        if ids.isEmpty { return .list(core.bans.tickets.map { .string($0.id) }) }
        if ids.count == 1 { return .int(core.bans.contains(ids[0]) ? 1 : 0) }
        return .list(ids.map { .int(core.bans.contains($0) ? 1 : 0) })
    }

    private func bantimeExtra(_ option: String) -> ControlValue {
        guard let value = definition.banTimeOptions["bantime." + option] ?? definition.options["bantime." + option] else { return .null }
        return .string(value)
    }

    func set(_ words: [String]) async throws(ServerError) -> ControlValue {
        guard words.count >= 2 else { throw .invalidCommand("(no set action or not yet implemented)") }
        let option = words[0], value = words[1]
        func seconds() throws(ServerError) -> Double {
            do { return try TimeAbbreviation.seconds(value) } catch {
                throw .invalidValue(option: option, value: value, reason: "expected a time like 600, 10m, 1h")
            }
        }
        func integer() throws(ServerError) -> Int {
            guard let n = Int(value) else { throw .invalidValue(option: option, value: value, reason: "expected an integer") }
            return n
        }
        switch option {
        case "banip":
            let force = value == "--force"
            return .int(try await banIPs(Array(words.dropFirst(force ? 2 : 1)), force: force))
        case "unbanip":
            let reportAbsent = value == "--report-absent"
            return .int(try await unbanIPs(Array(words.dropFirst(reportAbsent ? 2 : 1)), reportAbsent: reportAbsent))
        case "unbanall": return .int(await unbanAll())
        case "idle":
            guard value == "on" || value == "off" else { throw .invalidValue(option: "idle", value: value, reason: "must be 'on' or 'off'") }
            isIdle = value == "on"
            return .bool(isIdle)
        case "bantime":
            core.settings.banTime = try seconds()
            // Actions see the jail's current bantime in <bantime> of their start/stop commands.
            for action in worker.actions { await action.setJailBanTime(core.settings.banTime) }
            return .int(Int(core.settings.banTime))
        case "findtime":
            core.settings.findTime = try seconds()
            let findTime = core.settings.findTime
            filter.withFilter { $0.options.findTime = findTime }
            return .int(Int(core.settings.findTime))
        case "maxretry":
            core.settings.maxRetry = try integer()
            return .int(core.settings.maxRetry)
        case "maxmatches":
            core.settings.maxMatches = try integer()
            return .int(core.settings.maxMatches)
        case "usedns":
            filter.withFilter { $0.options.useDns = value }
            return .string(value)
        case "addignoreip":
            for entry in words.dropFirst() {
                do { try ignore.list.add(entry) } catch { throw .invalidValue(option: option, value: entry, reason: "\(error)") }
            }
            await whitelistChanged()
            return .list(ignore.list.entries.map { .string($0) })
        case "delignoreip":
            ignore.list.remove(value)
            await whitelistChanged()
            return .list(ignore.list.entries.map { .string($0) })
        case "ignoreself":
            let on = JailReader.asBool(value)
            ignore.list.ignoreSelf = on
            return .bool(on)
        case "ignorecommand":
            ignore.command = value.isEmpty ? nil : value
            return .string(value)
        case "ignorecache":
            ignore.cacheOptions = value
            return .string(value)
        case "addfailregex", "addignoreregex", "delfailregex", "delignoreregex", "prefregex", "maxlines", "datepattern":
            return try changeFilter(option, value)
        case "addlogpath":
            let tail = words.count > 2 && words[2].lowercased() == "tail"
            do { try watcher?.add(path: value, start: tail ? .end : .beginning) } catch {
                throw .invalidValue(option: option, value: value, reason: "\(error)")
            }
            definition.logPath.append(tail ? value + " tail" : value)
            return .strings(filePaths)
        case "dellogpath":
            watcher?.remove(path: value)
            definition.logPath.removeAll { LogPathSpec.parse(logpath: $0).first?.pattern == value }
            return .strings(filePaths)
        case "action":
            guard words.count >= 4, let action = worker.actions.first(where: { $0.name == words[1] }) else {
                throw .invalidCommand("(no action '\(value)' in jail \(name))")
            }
            await action.setProperty(words[2], words[3])
            return .string(words[3])
        default:
            throw .invalidCommand("'\(option)' (no set action or not yet implemented)")
        }
    }
}

extension JailRuntime {
    /// `reban`: hands every current ban to the actions again (after a firewall lost them).
    func reban() async -> Int {
        await settleRecords()
        let tickets = core.bans.tickets
        for ticket in tickets { log.log(.notice, "fail2ban.actions", "[\(name)] Reban \(ticket.id)") }
        if !tickets.isEmpty { worker.submit(.reban(tickets.map { BanInfo($0) })) }
        return tickets.count
    }
}

extension JailRuntime {
    /// `set <jail> addfailregex|delfailregex|addignoreregex|delignoreregex|prefregex|maxlines|
    /// datepattern`: the filter is compiled again from the changed definition; a regex that does
    /// not compile is refused and the running filter stays.
    func changeFilter(_ option: String, _ value: String) throws(ServerError) -> ControlValue {
        guard var filterDefinition = definition.filter else { throw .invalidCommand("(jail \(name) has no filter)") }
        var maxLines = filter.withFilter { $0.maxLines }
        func index() throws(ServerError) -> Int {
            guard let n = Int(value) else { throw .invalidValue(option: option, value: value, reason: "expected an index") }
            return n
        }
        switch option {
        case "addfailregex": filterDefinition.failRegex.append(value)
        case "addignoreregex": filterDefinition.ignoreRegex.append(value)
        case "delfailregex":
            let n = try index()
            guard filterDefinition.failRegex.indices.contains(n) else { throw .invalidValue(option: option, value: value, reason: "no such regex") }
            filterDefinition.failRegex.remove(at: n)
        case "delignoreregex":
            let n = try index()
            guard filterDefinition.ignoreRegex.indices.contains(n) else { throw .invalidValue(option: option, value: value, reason: "no such regex") }
            filterDefinition.ignoreRegex.remove(at: n)
        case "prefregex": filterDefinition.prefRegex = value.isEmpty ? nil : value
        case "datepattern": filterDefinition.datePattern = value
        default:
            guard let n = Int(value), n > 0 else { throw .invalidValue(option: option, value: value, reason: "expected a positive integer") }
            maxLines = n
        }
        do {
            let timeZone = definition.logTimezone
            try filter.rebuild { options in
                try LineFilter(definition: filterDefinition, options: options, maxLines: maxLines, timeZone: timeZone)
            }
        } catch {
            throw .invalidValue(option: option, value: value, reason: "\(error)")
        }
        definition.filter = filterDefinition
        switch option {
        case "addfailregex", "delfailregex": return .strings(filterDefinition.failRegex)
        case "addignoreregex", "delignoreregex": return .strings(filterDefinition.ignoreRegex)
        case "prefregex": return .string(filterDefinition.prefRegex ?? "")
        case "datepattern": return .string(value)
        default: return .int(maxLines)
        }
    }
}

extension JailRuntime {
    /// Self-healing: asks every action whether the firewall still holds what it put there
    /// (`actioncheck` for shell actions), repairs what was lost and bans every current address
    /// again in one batch. Returns the number of addresses banned again.
    func healActions() async -> Int {
        var repaired = false
        for action in worker.actions where await action.checkAndRepair(log: log, jail: name) { repaired = true }
        guard repaired else { return 0 }
        return await reban()
    }
}

extension JailRuntime {
    /// `ignoreip` changed at run time: native sets' whitelist rules follow at once.
    func whitelistChanged() async {
        let whitelist = ignore.firewallWhitelist
        for case let native as NativeSetAction in worker.actions {
            do { try await native.updateWhitelist(whitelist) } catch {
                log.log(.error, "fail2ban.actions", "[\(name)] \(native.name): updating the whitelist failed: \(error)")
            }
        }
    }
}
