import Foundation
import PortcullisActions
import PortcullisConfig

/// What a jail asks of its actions, in the order it decided them, a batch at a time: the bans of
/// one batch of log lines, every restored ban, every ban that expired at once.
enum ActionOperation: Sendable {
    case ban([BanInfo])
    case unban([BanInfo])
    /// `unbanall`/`unban --all`: `actionflush` where defined, else one unban per address.
    case flush([BanInfo])
    /// A ban again after the firewall lost it (`reban`, repair).
    case reban([BanInfo])
    /// Bans whose time was extended (a banned address failing again, or banned again by hand,
    /// with `bantime.increment`): `actionprolong` where an action defines it, a new timeout for
    /// a native set's element — else the kernel would let the address go at the old end.
    case prolong([BanInfo])
}

/// Runs a jail's actions one operation at a time, off the jail's path: the jail records a ban
/// in the store and hands it here, so reading the log never waits for a firewall command.
/// A failing ban or unban is retried (the retry queue for shell actions, the reconciler for
/// native sets) while the ban stays recorded.
final class ActionWorker: Sendable {
    private let continuation: AsyncStream<ActionOperation>.Continuation
    private let task: Task<Void, Never>
    let actions: [any JailAction]
    let retries: ActionRetryQueue
    private let errors = ErrorTally()

    init(jail: String, actions: [any JailAction], log: ServerLog) {
        let (stream, continuation) = AsyncStream<ActionOperation>.makeStream()
        let retries = ActionRetryQueue(log: log.sink)
        self.continuation = continuation
        self.actions = actions
        self.retries = retries
        let errors = errors
        task = Task {
            await retries.start()
            for await operation in stream {
                for action in actions {
                    errors.add(await action.perform(operation, retries: retries, log: log, jail: jail))
                }
            }
        }
    }

    /// Failed commands and transactions so far (`portcullis_action_errors_total`).
    var errorCount: Int { errors.value }

    func submit(_ operation: ActionOperation) { continuation.yield(operation) }

    /// Waits until every submitted operation ran once, then stops retrying.
    func drain() async {
        continuation.finish()
        await task.value
        await retries.stop()
    }
}

/// A counter written by the worker's task and read by `/metrics`.
private final class ErrorTally: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add(_ n: Int) { if n > 0 { lock.withLock { count += n } } }
    var value: Int { lock.withLock { count } }
}
