import DequeModule
import Logging
import Metrics
import Synchronization

/// Shared context of one EventFlow world: the account and region that ARNs name, the clock,
/// id generation, the registry of resources, the activity log, and the scheduler behind every
/// action (deliveries, attempts, retries, visibility timeouts, polls).
///
/// Two ways of running, chosen by the clock:
/// - On a clock the runtime moves itself (a test clock given with `advance:`, or
///   `EventFlowRuntime.testing()`), actions run one at a time, in the order they became ready,
///   and only inside `settle()` and `advance(by:)`. Time moves only when the test moves it, and
///   a run with the same inputs repeats exactly: ids, order and outcomes.
/// - On any other clock (real time by default) every action starts at once as its own task.
public actor EventFlowRuntime {
    public nonisolated let account: String
    public nonisolated let region: String
    public nonisolated let clock: RuntimeClock
    public nonisolated let ids: IDGenerator
    public nonisolated let logger: Logger
    /// Where Lambda's metrics go: the process-wide `MetricsSystem` by default; tests pass their
    /// own factory (swift-metrics' `TestMetrics`) to read them per runtime.
    public nonisolated let metrics: any MetricsFactory
    /// Size limits and history capacities resources get unless they are given their own.
    public nonisolated let limits: RuntimeLimits
    /// Every bus, queue, topic, function and stream of this runtime, by name and ARN.
    public nonisolated let registry = ResourceRegistry()
    /// Every step of every event, message and invocation (the latest `limits.activityCapacity`).
    public nonisolated let activity: ActivityLog
    /// Where queues keep their messages: memory by default, or a SQLite file (`EventFlowSQLite`).
    public nonisolated let storage: any RuntimeStorage

    /// Whether actions run one at a time inside `settle()` (see the type's comment).
    nonisolated var serial: Bool { clock.canAdvance }

    // Scheduler state (see RuntimeScheduler.swift).
    /// Scheduled actions not yet started (behind a lock: see `DelayedActions`).
    nonisolated let delayed = Mutex(DelayedActions())
    /// On a clock the runtime does not move: the one task sleeping until the earliest due
    /// instant (that instant is `delayed`'s `timerUntil`, readable under the lock).
    var timer: Task<Void, Never>?
    /// Actions started and not finished (counted down by each action's own task, without a hop
    /// back to the runtime), and how many of those wait in `sleep(for:)`.
    nonisolated let runningActions = Atomic<Int>(0)
    var running: Int { runningActions.load(ordering: .sequentiallyConsistent) }
    var parked = 0
    var parkedSleeps: [Int: (wake: Wake, ticket: Int)] = [:]
    var nextSleep = 0
    /// Actions ready to start, in order, when running serially; filled from any task.
    nonisolated let ready = Mutex(Deque<@Sendable () async -> Void>())
    /// Bumped whenever an action starts or finishes or a handler parks, so `settle()` can tell
    /// work that is moving from work that waits on something that never comes.
    nonisolated let progress = Atomic<Int>(0)
    /// Cleared by `stop(waitingUpTo:)`: no new work is started.
    nonisolated let acceptingWork = Atomic<Bool>(true)
    /// Set by `resumeStoredWork()`: functions registered afterwards resume their stored work at once.
    nonisolated let storedWorkResumed = Atomic<Bool>(false)
    /// Set by `restore()`: functions registered afterwards get the stored definitions that wait for them.
    nonisolated let definitionsRestored = Atomic<Bool>(false)
    /// Stored definitions `restore()` could not apply yet (most wait for a function).
    var waitingDefinitions: [StoredDefinition] = []

    public init(
        account: String = "123456789012", region: String = "us-east-1", clock: RuntimeClock = .continuous,
        ids: IDGenerator = .random, logger: Logger = Logger(label: "eventflow"), metrics: (any MetricsFactory)? = nil,
        limits: RuntimeLimits = RuntimeLimits(), storage: any RuntimeStorage = InMemoryStorage()
    ) {
        self.storage = storage
        self.limits = limits
        self.activity = ActivityLog(capacity: limits.activityCapacity)
        self.metrics = metrics ?? MetricsSystem.factory
        self.account = account
        self.region = region
        self.clock = clock
        self.ids = ids
        self.logger = logger
    }

    /// Resumes what an earlier process stored and did not finish: every registered function's
    /// waiting, retrying and interrupted asynchronous invocations, and the events buses accepted
    /// and had not routed (routed again to the rules they have now). Call it at start-up once the
    /// functions are registered and configured (their destinations, retries, concurrency);
    /// functions registered later resume at registration. Stored work of a function that is
    /// never registered stays stored (logged here) and resumes once it is.
    public func resumeStoredWork() async {
        storedWorkResumed.store(true, ordering: .releasing)
        for function in registry.all(.function, as: (any StoreResumable).self) { await function.resumeFromStore() }
        await resumeStoredBusEvents()
    }

    /// Whether the runtime starts new work (false once `stop` was called).
    public nonisolated var isAccepting: Bool { acceptingWork.load(ordering: .acquiring) }

    /// Graceful shutdown: stops event source mappings polling and stops starting queued or
    /// delayed work (on durable storage it stays stored for the next start), then waits up to
    /// `deadline` of real time for the actions in flight — handlers running — to finish. What
    /// those handlers send or invoke is still accepted (and stored), so they finish normally;
    /// it starts at the next start. Returns how many actions were still running at the deadline.
    public func stop(waitingUpTo deadline: Duration) async -> Int {
        acceptingWork.store(false, ordering: .releasing)
        // Paused, not disabled: the stored definitions keep `Enabled` for the next start.
        for mapping in eventSourceMappings { await mapping.pause() }
        let end = ContinuousClock.now + deadline
        // Handlers sleeping on the clock are in flight too: their wake-ups still come.
        while running > 0 && ContinuousClock.now < end {
            try? await Task.sleep(for: .milliseconds(1))
        }
        return running
    }

    // MARK: event source mapping registry (one mapping per source and function)

    /// The runtime keeps every mapping alive until it is deleted, as Lambda does.
    private var mappingsBySourceAndFunction: [String: EventSourceMapping] = [:]

    /// Why a mapping could not be registered.
    enum MappingConflict {
        /// A mapping of the same source and function exists: its UUID.
        case sameSourceAndFunction(String)
        /// A mapping of another source or function has the UUID asked for.
        case sameUUID
    }

    /// Registers a mapping, or says which existing one stands in the way.
    func registerMapping(source: String, function: String, mapping: EventSourceMapping) -> MappingConflict? {
        let key = source + "\u{0}" + function
        if let existing = mappingsBySourceAndFunction[key] { return .sameSourceAndFunction(existing.uuid) }
        if mappingsBySourceAndFunction.values.contains(where: { $0.uuid == mapping.uuid }) { return .sameUUID }
        mappingsBySourceAndFunction[key] = mapping
        return nil
    }

    /// Every mapping not deleted.
    public var eventSourceMappings: [EventSourceMapping] {
        mappingsBySourceAndFunction.values.sorted { $0.uuid < $1.uuid }
    }

    func unregisterMapping(source: String, function: String) {
        mappingsBySourceAndFunction[source + "\u{0}" + function] = nil
    }

    nonisolated func arn(_ service: String, _ resource: String) -> String {
        "arn:aws:\(service):\(region):\(account):\(resource)"
    }
}
