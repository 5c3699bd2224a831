import PortcullisActions
import PortcullisConfig

/// What a jail asks of its actions, in the order it decided them.
enum ActionOperation: Sendable {
    case ban(BanInfo)
    case unban(BanInfo)
    /// `unbanall`/`unban --all`: `actionflush` where defined, else one unban per address.
    case flush([BanInfo])
    /// A ban again after the firewall lost it (`reban`, repair).
    case reban(BanInfo)
}

/// Runs a jail's actions one operation at a time, off the jail's path: the jail records a ban
/// in the store and hands it here, so reading the log never waits for a firewall command.
/// A failing ban or unban goes to the retry queue, which repeats it with back-off (logging the
/// command line, status and stderr each time) while the ban stays recorded.
final class ActionWorker: Sendable {
    private let continuation: AsyncStream<ActionOperation>.Continuation
    private let task: Task<Void, Never>
    let actions: [CommandAction]
    let retries: ActionRetryQueue

    init(jail: String, actions: [CommandAction], log: ServerLog) {
        let (stream, continuation) = AsyncStream<ActionOperation>.makeStream()
        let retries = ActionRetryQueue(log: log.sink)
        self.continuation = continuation
        self.actions = actions
        self.retries = retries
        task = Task {
            await retries.start()
            for await operation in stream {
                for action in actions {
                    await Self.perform(operation, on: action, jail: jail, log: log, retries: retries)
                }
            }
        }
    }

    func submit(_ operation: ActionOperation) { continuation.yield(operation) }

    /// Waits until every submitted operation ran once, then stops retrying.
    func drain() async {
        continuation.finish()
        await task.value
        await retries.stop()
    }

    private static func perform(_ operation: ActionOperation, on action: CommandAction, jail: String,
                                log: ServerLog, retries: ActionRetryQueue) async {
        switch operation {
        case .ban(let info): _ = await retries.perform(.ban, info, on: action)
        case .reban(let info): _ = await retries.perform(.reban, info, on: action)
        case .unban(let info): _ = await retries.perform(.unban, info, on: action)
        case .flush(let infos):
            await retries.cancelAll(on: action)
            do { try await action.flush(orUnban: infos) } catch {
                log.log(.error, "fail2ban.actions", "[\(jail)] \(error)")
            }
        }
    }
}
