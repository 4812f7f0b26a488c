import HeapModule
import Logging
import Metrics
import Synchronization

/// Shared context of one EventFlow world: the account and region that ARNs name, the clock,
/// id generation, and the scheduler behind every delayed action (retries, backoff, visibility
/// timeouts). With a test clock time moves only when the test moves it: `advance(by:)` steps
/// through every instant something is due, and `settle()` waits until everything due has run
/// (delayed actions wait in the runtime's own due-time heap when it moves the clock itself, and
/// sleep on the clock otherwise).
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

    /// Scheduled actions not yet started, by ticket, and the same ordered by due time so that
    /// "is anything due?" costs O(log n) rather than a scan (entries of started actions are
    /// dropped from the heap lazily, when they reach its top).
    private var pending: [Int: Duration] = [:]
    private var dueOrder = Heap<Due>()
    private var nextTicket = 0
    private var running = 0
    /// Bumped whenever an action starts or finishes or a function handler runs, so `settle()`
    /// can tell long work that is moving from work that waits on something that never comes.
    private nonisolated let progress = Atomic<Int>(0)
    /// Work handed over by `performSoon` that has not reached the runtime yet.
    private nonisolated let launching = Atomic<Int>(0)

    private struct Due: Comparable {
        var at: Duration
        var ticket: Int
        static func < (a: Due, b: Due) -> Bool { (a.at, a.ticket) < (b.at, b.ticket) }
    }

    public init(
        account: String = "123456789012", region: String = "us-east-1", clock: RuntimeClock = .continuous,
        ids: IDGenerator = .random, logger: Logger = Logger(label: "eventflow"), metrics: (any MetricsFactory)? = nil,
        limits: RuntimeLimits = RuntimeLimits()
    ) {
        self.limits = limits
        self.activity = ActivityLog(capacity: limits.activityCapacity)
        self.metrics = metrics ?? MetricsSystem.factory
        self.account = account
        self.region = region
        self.clock = clock
        self.ids = ids
        self.logger = logger
    }

    /// Delayed actions of a runtime whose clock it moves itself (`RuntimeClock(…, advance:)`):
    /// `settle()` starts them when their instant has come, one per round in the order they fell
    /// due, instead of each sleeping on the clock.
    private var waiting: [Int: @Sendable () async -> Void] = [:]

    /// Runs `work` once `delay` has passed on the runtime's clock.
    ///
    /// With a clock the runtime moves itself (a test clock given with `advance:`), nothing
    /// sleeps on the clock: `settle()` and `advance(by:)` start due actions one at a time, in
    /// the order they fell due, so runs repeat exactly. (Every action sleeping on a test clock
    /// made a thousand retries due at one instant cost half a second of real time: the clock
    /// resumes its sleepers one by one, spawning twenty yielding tasks after each.) Otherwise
    /// each delayed action sleeps on the clock by itself.
    @discardableResult
    public func schedule(after delay: Duration, _ work: @escaping @Sendable () async -> Void) -> Int {
        let ticket = nextTicket
        nextTicket += 1
        let due = clock.now + delay
        pending[ticket] = due
        dueOrder.insert(Due(at: due, ticket: ticket))
        if delay <= .zero {
            run(ticket, work)
            return ticket
        }
        if clock.canAdvance {
            waiting[ticket] = work
            return ticket
        }
        sleepers[ticket] = Task {
            try? await clock.sleepUntil(due)
            self.runIfPending(ticket, work)
        }
        return ticket
    }

    /// Sleeping tasks of scheduled actions on a clock the runtime does not move, by ticket.
    private var sleepers: [Int: Task<Void, Never>] = [:]

    private func runIfPending(_ ticket: Int, _ work: @escaping @Sendable () async -> Void) {
        sleepers[ticket] = nil
        guard pending[ticket] != nil else { return }
        run(ticket, work)
    }

    /// Withdraws a scheduled action that has not started (a time-out whose attempt finished).
    public func cancel(_ ticket: Int) {
        guard pending.removeValue(forKey: ticket) != nil else { return }
        waiting[ticket] = nil
        sleepers.removeValue(forKey: ticket)?.cancel()
    }

    /// Handlers and actions suspended in `sleep(for:)`: running, but waiting for the clock, so
    /// `settle()` does not wait for them.
    private var parked = 0

    /// Suspends the caller for `duration` on the runtime's clock (a handler simulating its own
    /// duration: `context.sleep(for:)`). With a clock the runtime moves itself the wake-up is one
    /// of its scheduled actions, so `advance(by:)` stops there. Throws `CancellationError` when
    /// the task is cancelled (a timed-out handler).
    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        if duration <= .zero { return }
        let wake = Wake()
        let ticket = schedule(after: duration) { wake.fire(cancelled: false) }
        parked += 1
        noteProgress()
        await withTaskCancellationHandler {
            await wake.wait()
        } onCancel: {
            wake.fire(cancelled: true)
            Task { await self.cancel(ticket) }
        }
        parked -= 1
        noteProgress()
        if wake.wasCancelled { throw CancellationError() }
    }

    /// Starts the earliest waiting action whose instant has come, if any.
    private func startNextDue() {
        guard let next = nextDue, next <= clock.now, let first = dueOrder.min else { return }
        dueOrder.removeMin()
        if let work = waiting.removeValue(forKey: first.ticket) { run(first.ticket, work) }
    }

    private func run(_ ticket: Int, _ work: @escaping @Sendable () async -> Void) {
        start(ticket)
        Task {
            await work()
            self.finish()
        }
    }

    /// Runs `work` now, counted as in flight until it returns.
    public func perform(_ work: @escaping @Sendable () async -> Void) {
        schedule(after: .zero, work)
    }

    /// `perform` from outside the runtime without waiting for it: counted as in flight from
    /// this call on, so a `settle()` running meanwhile cannot miss it.
    public nonisolated func performSoon(_ work: @escaping @Sendable () async -> Void) {
        launching.add(1, ordering: .sequentiallyConsistent)
        Task {
            await self.perform(work)
            self.launching.subtract(1, ordering: .sequentiallyConsistent)
        }
    }

    private func start(_ ticket: Int) {
        pending[ticket] = nil
        running += 1
        noteProgress()
    }

    private func finish() {
        running -= 1
        noteProgress()
    }

    /// Records that work moved forward (see `settle`).
    nonisolated func noteProgress() { progress.add(1, ordering: .relaxed) }

    /// Whether nothing is running and nothing is due by now.
    public var isIdle: Bool {
        guard running - parked == 0, launching.load(ordering: .sequentiallyConsistent) == 0 else { return false }
        guard let next = nextDue else { return true }
        return next > clock.now
    }

    /// Actions scheduled for later than now.
    public var scheduledCount: Int { pending.count }

    /// Waits until everything due at the current time (and whatever that triggers) has run.
    /// Gives up once `maxRounds` yields pass with nothing starting, finishing or running a
    /// handler (a handler waiting on the clock, say), so a test fails on its expectations
    /// instead of hanging; long work that keeps moving is waited for, up to a hundred times as
    /// many yields in all (work that never stops, such as a function whose destination invokes
    /// it again, ends there too).
    public func settle(maxRounds: Int = 100_000) async {
        var quietRounds = 0
        var stalledRounds = 0
        var rounds = 0
        var lastProgress = progress.load(ordering: .relaxed)
        while quietRounds < 20 && stalledRounds < maxRounds && rounds < maxRounds * 100 {
            rounds += 1
            if !waiting.isEmpty { startNextDue() }
            if isIdle { quietRounds += 1 } else { quietRounds = 0 }
            let now = progress.load(ordering: .relaxed)
            if now == lastProgress {
                stalledRounds += 1
            } else {
                stalledRounds = 0
                lastProgress = now
            }
            await Task.yield()
        }
    }

    /// Moves a clock that tests move by hand (see `RuntimeClock.init(_:startDate:advance:)`)
    /// forward by `duration`, stopping at every instant something is due and settling there,
    /// so every action runs with its own instant as now and whatever it schedules within the
    /// span runs too. With any other clock it only settles.
    public func advance(by duration: Duration) async {
        await settle()
        guard let moveTo = clock.moveTo else { return }
        let target = clock.now + duration
        while let next = nextDue, next > clock.now, next <= target {
            await moveTo(next)
            await settle()
        }
        if clock.now < target {
            await moveTo(target)
            await settle()
        }
    }

    /// When the earliest action not yet started is due.
    private var nextDue: Duration? {
        while let first = dueOrder.min, pending[first.ticket] == nil { dueOrder.removeMin() }
        return dueOrder.min?.at
    }

    // MARK: event source mapping registry (one mapping per source and function)

    /// The runtime keeps every mapping alive until it is deleted, as Lambda does.
    private var mappingsBySourceAndFunction: [String: EventSourceMapping] = [:]

    /// Registers a mapping; returns the UUID of an existing one for the same pair instead.
    func registerMapping(source: String, function: String, mapping: EventSourceMapping) -> String? {
        let key = source + "\u{0}" + function
        if let existing = mappingsBySourceAndFunction[key] { return existing.uuid }
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
