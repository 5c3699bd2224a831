import PortcullisConfig

/// Building and running one operation's command.
extension CommandAction {
    static let logger = "fail2ban.CommandAction"

    enum CheckOutcome { case sane, notRepaired, failed }

    /// The static pass for `family`, kept until a property changes.
    func tags(for family: String) throws(ActionTagError) -> StaticTags {
        if let cached = staticTags[family] { return cached }
        let tags = try StaticTags(options: properties, family: family)
        staticTags[family] = tags
        return tags
    }

    /// The operation's command for `family` with option tags and `<family>` filled (fail2ban's
    /// `_getOperation`); "" when the operation is unset.
    func operationText(_ operation: String, family: String) throws(ActionError) -> String {
        do {
            let tags = try tags(for: family)
            guard let template = tags.value(operation), !template.isEmpty else { return "" }
            let text = try tags.resolve(template)
            return family.isEmpty ? text : ActionTags.dynamic(text, info: nil, options: properties, family: family).command
        } catch {
            throw ActionError(jail: jail, action: name, operation: operation, command: "", status: -1, stderr: "",
                              timedOut: false, reason: error.message)
        }
    }

    /// Runs `script`, logging it in fail2ban's shape.
    func run(_ script: String) async -> CommandResult {
        let timeout = self.timeout
        let result = await runner.run(script, timeout: timeout)
        CommandLog(sink: log).report(script, timeout: timeout, result: result)
        return result
    }

    func error(_ operation: String, _ script: String, _ result: CommandResult, reason: String? = nil) -> ActionError {
        ActionError(jail: jail, action: name, operation: operation, command: script, status: result.status,
                    stderr: result.stderr, timedOut: result.timedOut, reason: reason)
    }

    /// fail2ban's `_executeOperation`: the operation for each family, with an empty ban's tags,
    /// skipping a command text already run for another family; `after` sees each family's outcome.
    func executeOperation(_ operation: String, families list: [String],
                          after: ((String, Bool) -> Void)? = nil) async throws(ActionError) {
        var firstError: ActionError?
        for family in list {
            let text: String
            do {
                text = try operationText(operation, family: family)
            } catch {
                firstError = firstError ?? error
                continue
            }
            var ok = true
            let runElsewhere = executed[operation, default: [:]].contains { $0.key != family && $0.value == text }
            if !text.isEmpty && !runElsewhere {
                let info = BanInfo.empty(time: clock(), banTime: jailBanTime)
                let script = ActionTags.dynamic(text, info: info, options: properties, family: family).command
                let result = await run(script)
                ok = result.succeeded
                if !ok { firstError = firstError ?? error(operation, script, result) }
            }
            after?(family, ok)
            if ok, !text.isEmpty {
                executed[operation, default: [:]][family] = text
            } else if let previous = executed[operation]?[family] {
                executed[operation] = executed[operation]?.filter { $0.value != previous }
            }
        }
        if let firstError { throw firstError }
    }

    /// fail2ban's `_processCmd`: the command with the ban's tags; on failure, a consistency check
    /// (and repair) when there is an `actioncheck`, then one more try.
    func process(_ operation: String, info: BanInfo, family: String) async throws(ActionError) {
        let staticText: String
        do {
            let tags = try tags(for: family)
            staticText = try tags.resolve(tags.value(operation) ?? "")
        } catch {
            throw ActionError(jail: jail, action: name, operation: operation, command: "", status: -1, stderr: "",
                              timedOut: false, reason: error.message)
        }
        guard !staticText.isEmpty else {
            log?(.debug, Self.logger, "Nothing to do")
            return
        }
        var info = info
        if info.hostName == nil, staticText.contains("<ip-host>") {
            info.hostName = await HostNames.reverseLookup(info.ip) ?? "None"
        }
        let hasCheck = !(properties["actioncheck"] ?? "").isEmpty
        var lastError: ActionError?
        for attempt in 0..<2 {
            if attempt > 0, hasCheck {
                let outcome = await invariantCheck(family: family, forUnban: operation == "actionunban")
                if outcome != .sane, var failure = lastError {
                    failure.reason = outcome == .notRepaired
                        ? "invariant check failed, unban is impossible" : "invariant check failed, unable to restore environment"
                    throw failure
                }
            }
            let script = ActionTags.dynamic(staticText, info: info, options: properties, family: family).command
            let result = await run(script)
            if result.succeeded { return }
            lastError = error(operation, script, result)
        }
        throw lastError!
    }

    /// `actioncheck` for `family`, true when it passes or is unset.
    func runCheck(family: String) async throws(ActionError) -> Bool {
        let text = try operationText("actioncheck", family: family)
        guard !text.isEmpty else { return true }
        return await run(text).succeeded
    }

    /// fail2ban's `_invariantCheck`: check; when broken, repair (unless only unbanning without
    /// `actionrepair_on_unban`) and check again.
    func invariantCheck(family: String, forUnban: Bool) async -> CheckOutcome {
        guard let passed = try? await runCheck(family: family) else { return .failed }
        if passed { return .sane }
        if forUnban && !(flag("actionrepair_on_unban") ?? false) {
            log?(.error, Self.logger, "Invariant check failed. Unban is impossible.")
            return .notRepaired
        }
        log?(.error, Self.logger, "Invariant check failed. Trying to restore a sane environment")
        banEpoch += 1
        do {
            try await repairFamily(family, forceStart: !forUnban)
        } catch {
            return .failed
        }
        if state(of: family) != 0, (try? await runCheck(family: family)) != true {
            log?(.critical, Self.logger, "Unable to restore environment")
            return .failed
        }
        return .sane
    }

    /// `actionrepair` for `family`, or stop and start it.
    func repairFamily(_ family: String, forceStart: Bool) async throws(ActionError) {
        let repair = try operationText("actionrepair", family: family)
        if !repair.isEmpty {
            let result = await run(repair)
            guard result.succeeded else {
                setState(of: family) { _ in 0 }
                log?(.critical, Self.logger, "Unable to restore environment")
                throw error("actionrepair", repair, result)
            }
            setState(of: family) { _ in 1 }
            return
        }
        if state(of: family) != 0 {
            setState(of: family) { _ in 0 }
            try? await stopFamilies([family])
        }
        if forceStart || !startsOnDemand {
            try await startFamilies([family])
        }
    }
}
