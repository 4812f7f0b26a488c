import DequeModule
import EventPatterns
import Metrics

/// A Lambda-style function around a Swift handler, with Lambda's three invocation models:
/// synchronous (`invoke(.requestResponse)`, `call`), asynchronous (`invoke(.event)`: queued,
/// retried, aged, throttled, sent to destinations and the dead-letter queue) and on behalf of
/// event source mappings. All three run the handler through one path (`execute`), which
/// decodes the payload, applies the timeout and encodes the response.
///
/// The handler, and the settings given here (concurrency, dead-letter target, timeout,
/// versions, aliases), are code: not stored. Its event invoke configs are stored, and
/// `EventFlowRuntime.restore()` applies them once the function is registered again by name.
public actor LambdaFunction<Payload: Codable & Sendable, Response: Codable & Sendable>: InvocableFunction {
    public typealias Handler = @Sendable (Payload, InvocationContext) async throws -> Response

    public nonisolated let name: String
    public nonisolated let functionArn: String
    /// `functionArn` qualified with `$LATEST`, made once (most invocations name it).
    nonisolated let latestArn: String
    nonisolated let runtime: EventFlowRuntime
    let handler: Handler

    /// Concurrent executions allowed; nil means unreserved (the account's 1000).
    public private(set) var reservedConcurrency: Int?
    public private(set) var deadLetter: DeadLetterTarget?
    /// How long one attempt may run (Lambda: 3 s by default, 1 to 900 s).
    public private(set) var timeout: Duration
    /// Published version numbers and alias → version.
    var versions: [String] = []
    var aliases: [String: String] = [:]
    var invokeConfigs: [String: EventInvokeConfig] = [:]

    /// Base of the retry delays after function errors: retry n waits n × this (60 s, 120 s).
    public var retryBaseDelay: Duration = .seconds(60)
    /// Largest accepted `Event` payload (1 MB; the runtime's `limits.maxAsyncPayloadBytes` unless given).
    public private(set) var maxAsyncPayloadBytes: Int
    /// Largest synchronous request and response (6 MB).
    public private(set) var maxSyncPayloadBytes: Int
    /// Test hook for at-least-once delivery: every queued event is delivered twice.
    public var duplicateDeliveries = false

    /// Whether this function's stored invocations were resumed, and (until then, on durable
    /// storage) the request ids it accepted itself, which resuming must not queue again.
    var storeResumed = false
    var acceptedBeforeResume: Set<String> = []

    /// Executions in progress (every invocation type counts).
    var running = 0
    /// Asynchronous events waiting for a concurrent execution, in arrival order.
    var asyncQueue = Deque<QueuedEvent>()
    var outcomeHistory: History<AsyncOutcome>
    /// Where accepted asynchronous invocations are kept until they end (the runtime's storage).
    nonisolated let invocationStore: any AsyncInvocationStore
    /// The latest outcomes of asynchronous invocations (the runtime's `historyCapacity`), oldest
    /// first; `outcomeStream()` sees every one.
    public var outcomes: [AsyncOutcome] { outcomeHistory.elements }
    /// Outcomes recorded since the function was made, kept or not.
    public var outcomeCount: Int { outcomeHistory.totalCount }

    public init(
        name: String, runtime: EventFlowRuntime, reservedConcurrency: Int? = nil, deadLetter: DeadLetterTarget? = nil,
        timeout: Duration = .seconds(3), maxAsyncPayloadBytes: Int? = nil, handler: @escaping Handler
    ) throws(AWSError) {
        try Self.validateTimeout(timeout)
        self.name = name
        self.functionArn = runtime.arn("lambda", "function:\(name)")
        self.latestArn = functionArn + ":$LATEST"
        self.runtime = runtime
        self.handler = handler
        self.reservedConcurrency = reservedConcurrency
        self.deadLetter = deadLetter
        self.timeout = timeout
        self.maxAsyncPayloadBytes = maxAsyncPayloadBytes ?? runtime.limits.maxAsyncPayloadBytes
        self.maxSyncPayloadBytes = runtime.limits.maxSyncPayloadBytes
        self.outcomeHistory = History(capacity: runtime.limits.historyCapacity)
        self.invocationStore = runtime.storage.invocations
        try runtime.registry.register(self, kind: .function, name: name, arn: functionArn)
        // Stored work of an earlier process resumes with `runtime.resumeStoredWork()`, once every
        // function is registered and configured; a function registered after that resumes now.
        if invocationStore.isDurable && runtime.storedWorkResumed.load(ordering: .acquiring) {
            runtime.performSoon { [self] in await self.resumeFromStore() }
        }
        // Stored rules, event invoke configs and mappings that wait for this function apply now.
        if runtime.definitionsRestored.load(ordering: .acquiring) {
            runtime.performSoon { [runtime] in await runtime.applyWaitingDefinitions() }
        }
    }

    public func setReservedConcurrency(_ n: Int?) {
        reservedConcurrency = n
        dispatchQueued()
    }
    public func setDeadLetter(_ t: DeadLetterTarget?) { deadLetter = t }
    public func setRetryBaseDelay(_ d: Duration) { retryBaseDelay = d }
    public func setDuplicateDeliveries(_ on: Bool) { duplicateDeliveries = on }
    public func setMaxAsyncPayloadBytes(_ n: Int) { maxAsyncPayloadBytes = n }
    public func setOutcomeHistoryCapacity(_ n: Int) { outcomeHistory.setCapacity(n) }

    /// Sets the timeout (1 to 900 seconds, as Lambda's `Timeout`).
    public func setTimeout(_ t: Duration) throws(AWSError) {
        try Self.validateTimeout(t)
        timeout = t
    }

    static func validateTimeout(_ t: Duration) throws(AWSError) {
        let text = String(t.components.seconds)
        if t > .seconds(900) { throw .validation(text, "timeout", "Member must have value less than or equal to 900") }
        if t < .seconds(1) { throw .validation(text, "timeout", "Member must have value greater than or equal to 1") }
    }

    /// Every asynchronous outcome recorded from now on.
    public func outcomeStream() -> AsyncStream<AsyncOutcome> {
        outcomeHistory.makeStream { id in Task { await self.dropOutcomeStream(id) } }
    }

    private func dropOutcomeStream(_ id: Int) { outcomeHistory.removeStream(id) }

    /// Publishes a version ("1", "2", ...). Its event invoke config starts empty (not copied).
    @discardableResult
    public func publishVersion() -> String {
        versions.append(String(versions.count + 1))
        return versions.last!
    }

    public func createAlias(_ alias: String, version: String) throws(AWSError) {
        guard version == "$LATEST" || versions.contains(version) else {
            throw .notFound("Function not found: \(functionArn):\(version)")
        }
        aliases[alias] = version
    }

    func resolve(_ qualifier: String) throws(AWSError) -> (qualifier: String, executedVersion: String) {
        if qualifier == "$LATEST" { return (qualifier, "$LATEST") }
        if versions.contains(qualifier) { return (qualifier, qualifier) }
        if let v = aliases[qualifier] { return (qualifier, v) }
        throw .notFound("Function not found: \(functionArn):\(qualifier)")
    }

    private var counters = CounterCache()
    lazy var eventAgeTimer = Timer(label: "AsyncEventAge", dimensions: [("FunctionName", name)], factory: runtime.metrics)

    func counter(_ metric: String) -> Counter {
        counters.counter(metric) { Counter(label: metric, dimensions: [("FunctionName", name)], factory: runtime.metrics) }
    }
}

extension LambdaFunction {
    /// The function's ARN with `qualifier` ("…:function:name:$LATEST", "…:name:prod").
    nonisolated func qualifiedArn(_ qualifier: String) -> String {
        qualifier == "$LATEST" ? latestArn : "\(functionArn):\(qualifier)"
    }
}
