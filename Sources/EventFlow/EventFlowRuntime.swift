import HeapModule
import Logging
import Metrics

/// Shared context of one EventFlow world: the account and region that ARNs name, the clock,
/// id generation, and the scheduler behind every delayed action (retries, backoff, visibility
/// timeouts). Each scheduled action is a task sleeping on the clock, so with a test clock time
/// moves only when the test advances it; `settle()` then waits until everything due has run.
public actor EventFlowRuntime {
    public nonisolated let account: String
    public nonisolated let region: String
    public nonisolated let clock: RuntimeClock
    public nonisolated let ids: IDGenerator
    public nonisolated let logger: Logger
    /// Where Lambda's metrics go: the process-wide `MetricsSystem` by default; tests pass their
    /// own factory (swift-metrics' `TestMetrics`) to read them per runtime.
    public nonisolated let metrics: any MetricsFactory

    /// Scheduled actions not yet started, by ticket, and the same ordered by due time so that
    /// "is anything due?" costs O(log n) rather than a scan (entries of started actions are
    /// dropped from the heap lazily, when they reach its top).
    private var pending: [Int: Duration] = [:]
    private var dueOrder = Heap<Due>()
    private var nextTicket = 0
    private var running = 0

    private struct Due: Comparable {
        var at: Duration
        var ticket: Int
        static func < (a: Due, b: Due) -> Bool { (a.at, a.ticket) < (b.at, b.ticket) }
    }

    public init(
        account: String = "123456789012", region: String = "us-east-1", clock: RuntimeClock = .continuous,
        ids: IDGenerator = .random, logger: Logger = Logger(label: "eventflow"), metrics: (any MetricsFactory)? = nil
    ) {
        self.metrics = metrics ?? MetricsSystem.factory
        self.account = account
        self.region = region
        self.clock = clock
        self.ids = ids
        self.logger = logger
    }

    /// Actions waiting for the same instant share one sleeper on the clock: a test clock then
    /// resumes one suspension per distinct instant (it yields and re-sorts its sleepers for each
    /// one), not one per action, and actions due together start in the order they were scheduled.
    private var waitingAt: [Duration: [(ticket: Int, work: @Sendable () async -> Void)]] = [:]

    /// Runs `work` once `delay` has passed on the runtime's clock.
    public func schedule(after delay: Duration, _ work: @escaping @Sendable () async -> Void) {
        let ticket = nextTicket
        nextTicket += 1
        let due = clock.now + delay
        pending[ticket] = due
        dueOrder.insert(Due(at: due, ticket: ticket))
        if delay <= .zero {
            start(ticket)
            Task {
                await work()
                self.finish()
            }
            return
        }
        if waitingAt[due] != nil {
            waitingAt[due]!.append((ticket, work))
            return
        }
        waitingAt[due] = [(ticket, work)]
        Task {
            try? await clock.sleepUntil(due)
            for (ticket, work) in self.waitingAt.removeValue(forKey: due) ?? [] {
                self.start(ticket)
                Task {
                    await work()
                    self.finish()
                }
            }
        }
    }

    /// Runs `work` now, counted as in flight until it returns.
    public func perform(_ work: @escaping @Sendable () async -> Void) {
        schedule(after: .zero, work)
    }

    private func start(_ ticket: Int) {
        pending[ticket] = nil
        running += 1
    }

    private func finish() { running -= 1 }

    /// Whether nothing is running and nothing is due by now.
    public var isIdle: Bool {
        guard running == 0 else { return false }
        while let first = dueOrder.min, pending[first.ticket] == nil { dueOrder.removeMin() }
        guard let first = dueOrder.min else { return true }
        return first.at > clock.now
    }

    /// Actions scheduled for later than now.
    public var scheduledCount: Int { pending.count }

    /// Waits until everything due at the current time (and whatever that triggers) has run.
    /// Gives up after `maxRounds` yields (a handler waiting on the clock, say), so a test
    /// fails on its expectations instead of hanging.
    public func settle(maxRounds: Int = 100_000) async {
        var quietRounds = 0
        var rounds = 0
        while quietRounds < 20 && rounds < maxRounds {
            if isIdle { quietRounds += 1 } else { quietRounds = 0 }
            rounds += 1
            await Task.yield()
        }
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
