import PortcullisClient
import PortcullisConfig

/// fail2ban's transmitter: one command (the words `fail2ban-client` sends) to one reply.
extension Daemon {
    /// Answers a control request. Errors become failure replies with fail2ban's wording; the
    /// daemon itself never stops because of a bad command.
    public func handle(_ words: [String]) async -> ControlResponse {
        do {
            return .ok(try await dispatch(words))
        } catch {
            log.log(.error, "fail2ban.transmitter", "Command \(words) has failed. Received \(error)")
            return .failure("\(error)")
        }
    }

    private func dispatch(_ words: [String]) async throws(ServerError) -> ControlValue {
        guard let command = words.first else { throw .invalidCommand("(empty)") }
        let rest = Array(words.dropFirst())
        switch command {
        case "ping": return .string("pong")
        case "version": return .string(PortcullisVersion.version)
        case "echo": return .list(rest.map { .string($0) })
        case "server-status": return .string("Server ready")
        case "status":
            guard let name = rest.first else { return serverStatus() }
            return try await jail(name).status(flavor: rest.dropFirst().first)
        case "start":
            if let name = rest.first, jails[name] != nil { throw .jailExists(name) }
            let selection = try readJails(only: rest.first)
            if let name = rest.first, !selection.definitions.contains(where: { $0.name == name }) { throw .unknownJail(name) }
            await startJails(selection)
            return .null
        case "stop":
            guard let name = rest.first else {
                requestStop()
                return .null
            }
            if name == "--all" { await stopJails(only: nil) } else {
                _ = try jail(name)
                await stopJails(only: name)
            }
            return .null
        case "restart":
            let options = rest.filter { $0.hasPrefix("--") }
            let name = rest.first { !$0.hasPrefix("--") }
            if let name { _ = try jail(name) }
            try await reload(jail: name, unban: options.contains("--unban"), restart: true)
            return .string("OK")
        case "reload":
            let options = rest.filter { $0.hasPrefix("--") }
            let name = rest.first { !$0.hasPrefix("--") }
            try await reload(jail: name == "--all" ? nil : name, unban: options.contains("--unban"), restart: options.contains("--restart"))
            return .string("OK")
        case "reban":
            var count = 0
            for name in jailOrder { count += await jails[name]?.reban() ?? 0 }
            return .int(count)
        case "unban":
            guard !rest.isEmpty else { throw .invalidCommand("(unban needs addresses or --all)") }
            var count = 0
            if rest == ["--all"] {
                for name in jailOrder { count += await jails[name]?.unbanAll() ?? 0 }
            } else {
                for name in jailOrder { count += (try? await jails[name]?.unbanIPs(rest, reportAbsent: false)) ?? 0 }
            }
            return .int(count)
        case "banned":
            if rest.isEmpty {
                var result: [ControlValue] = []
                for name in jailOrder {
                    guard let jail = jails[name] else { continue }
                    result.append(.dict([(name, await jail.bannedValue([]))]))
                }
                return .list(result)
            }
            var result: [ControlValue] = []
            for ip in rest {
                var inJails: [ControlValue] = []
                for name in jailOrder where await jails[name]?.isBanned(ip) == true { inJails.append(.string(name)) }
                result.append(.list(inJails))
            }
            return .list(result)
        case "flushlogs":
            return .string(log.flush())
        case "get":
            return try await get(rest)
        case "set":
            return try await set(rest)
        default:
            throw .invalidCommand("'\(command)'")
        }
    }

    private func serverStatus() -> ControlValue {
        .pairs([("Number of jail", .int(jailOrder.count)), ("Jail list", .string(jailOrder.sorted().joined(separator: ", ")))])
    }

    private func get(_ words: [String]) async throws(ServerError) -> ControlValue {
        guard let name = words.first else { throw .invalidCommand("(no get action or not yet implemented)") }
        switch name {
        case "loglevel": return .string(log.level.name)
        case "logtarget": return .string(log.target)
        case "syslogsocket": return .string(configuration.settings.syslogSocket)
        case "dbfile": return .string(configuration.settings.dbFile)
        case "dbpurgeage": return .int(Int(dbPurgeAge))
        case "dbmaxmatches": return dbMaxMatches.map { .int($0) } ?? .null
        default:
            guard words.count >= 2 else { throw .invalidCommand("(no get action or not yet implemented)") }
            return try await jail(name).get(Array(words.dropFirst()))
        }
    }

    private func set(_ words: [String]) async throws(ServerError) -> ControlValue {
        guard words.count >= 2 else { throw .invalidCommand("(no set action or not yet implemented)") }
        let name = words[0], value = words[1]
        switch name {
        case "loglevel":
            guard let level = LogLevel(name: value) else { throw .invalidValue(option: "loglevel", value: value, reason: "unknown level") }
            log.level = level
            return .string(level.name)
        case "logtarget":
            try log.setTarget(value)
            return .string(value)
        case "dbpurgeage":
            guard let seconds = try? TimeAbbreviation.seconds(value) else {
                throw .invalidValue(option: "dbpurgeage", value: value, reason: "expected a time like 1d")
            }
            dbPurgeAge = seconds
            return .int(Int(seconds))
        case "dbmaxmatches":
            guard let n = Int(value) else { throw .invalidValue(option: "dbmaxmatches", value: value, reason: "expected an integer") }
            dbMaxMatches = n
            return .int(n)
        default:
            return try await jail(name).set(Array(words.dropFirst()))
        }
    }
}
