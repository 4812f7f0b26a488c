import EventPatterns
import Foundation

/// Lambda's third invocation model: the runtime polls a queue or a stream for the function,
/// filters and batches records, and invokes the function synchronously with each batch.
///
/// Create one with `EventSourceMapping.create`. It polls when its source tells it something
/// arrived and when a visibility timeout, batching window or retry delay it scheduled comes due,
/// all on the runtime's clock, so tests drive it with a test clock and `settle()`.
/// Every record ends as exactly one of: delivered and succeeded, filtered out, sent to the
/// on-failure destination (streams), moved to the dead-letter queue by the source queue's
/// redrive policy (SQS), or expired by the source's retention (counted in `statistics`).
public actor EventSourceMapping {
    public enum State: String, Sendable {
        case enabled = "Enabled"
        case disabled = "Disabled"
        case deleting = "Deleting"
    }

    /// Counters of what happened to records (not messages still waiting for a retry).
    public struct Statistics: Sendable, Equatable {
        public var invocations = 0
        public var throttles = 0
        /// Records in batches the function processed successfully (SQS: deleted afterwards).
        public var recordsSucceeded = 0
        /// Records no filter matched (SQS: deleted; streams: skipped).
        public var recordsFilteredOut = 0
        /// Stream records in batches given up on and delivered to the on-failure destination.
        public var recordsSentToOnFailure = 0
        /// Stream records given up on with no destination, or whose delivery failed (logged).
        public var recordsDiscarded = 0
        /// Stream records that retention removed before they were processed.
        public var recordsExpired = 0
        public init() {}
    }

    public nonisolated let uuid: String
    public nonisolated let source: MappingSource
    public nonisolated let function: any BatchInvocable
    nonisolated let runtime: EventFlowRuntime

    public private(set) var configuration: EventSourceMappingConfiguration
    var settings: ResolvedMappingSettings
    public internal(set) var state: State
    public internal(set) var statistics = Statistics()
    /// Every on-failure record a stream mapping produced, in order, exactly as delivered.
    public internal(set) var failureRecords: [JSONValue] = []

    // SQS polling state.
    var sqsBusy = false
    /// Received messages gathered for the next batch, each with its record as delivered (built
    /// once, for the filters and the payload alike).
    var heldMessages: [(message: Queue.Message, record: JSONValue)] = []
    var sqsWindowDeadline: Duration?
    // Stream polling state, per shard lane.
    var lanes: [LaneKey: Lane] = [:]
    /// Set when `ParallelizationFactor` changed; the lanes are rebuilt once none is busy.
    var relanePending = false
    /// Per shard, the checkpoint last stored (see `storeCheckpoint`).
    var savedCheckpoints: [Int: Int] = [:]
    var scheduledWakes: Set<String> = []
    private var busyCount = 0
    private var quietWaiters: [CheckedContinuation<Void, Never>] = []

    private init(
        uuid: String, source: MappingSource, function: any BatchInvocable, configuration: EventSourceMappingConfiguration,
        settings: ResolvedMappingSettings, runtime: EventFlowRuntime
    ) {
        self.uuid = uuid
        self.source = source
        self.function = function
        self.configuration = configuration
        self.settings = settings
        self.runtime = runtime
        self.state = settings.enabled ? .enabled : .disabled
    }

    /// `CreateEventSourceMapping`: validates the configuration against the source type, refuses a
    /// second mapping of the same source and function, and starts polling when enabled.
    ///
    /// `uuid` names the mapping (a new one by default). After a restart on durable storage, a
    /// stream mapping created again with its earlier UUID resumes each shard from its stored
    /// checkpoint rather than from its starting position; records after the checkpoint are
    /// delivered again (at least once).
    ///
    /// The mapping's definition (UUID, source, function name, every setting) is stored, and
    /// kept up to date by `update` and `setEnabled`, so that `EventFlowRuntime.restore()`
    /// creates it again once its function is registered.
    public static func create(
        source: MappingSource, function: any BatchInvocable, configuration: EventSourceMappingConfiguration = .init(),
        uuid: String? = nil, runtime: EventFlowRuntime
    ) async throws(LambdaError) -> EventSourceMapping {
        try await create(source: source, function: function, configuration: configuration, uuid: uuid, runtime: runtime, persist: true)
    }

    /// `persist: false` for a mapping restored from its stored definition.
    static func create(
        source: MappingSource, function: any BatchInvocable, configuration: EventSourceMappingConfiguration, uuid: String?,
        runtime: EventFlowRuntime, persist: Bool
    ) async throws(LambdaError) -> EventSourceMapping {
        let settings = try ResolvedMappingSettings(configuration, source: source)
        if let uuid, uuid.isEmpty { throw AWSError.invalidParameter("the UUID of an event source mapping must not be empty") }
        let mapping = EventSourceMapping(
            uuid: uuid ?? runtime.ids.make(), source: source, function: function, configuration: configuration, settings: settings,
            runtime: runtime)
        var checkpoints: [Int: Int] = [:]
        if case .stream = source {
            do { checkpoints = try runtime.storage.checkpoints.checkpoints(mapping: mapping.uuid) } catch {
                throw AWSError(.internalFailure, "could not read the checkpoints of event source mapping \(mapping.uuid): \(error)")
            }
        }
        switch await runtime.registerMapping(source: source.arn, function: function.functionArn, mapping: mapping) {
        case .sameSourceAndFunction(let existing)?:
            throw AWSError(.resourceConflict, Self.conflictMessage(source, function, existing))
        case .sameUUID?:
            throw AWSError(.resourceConflict, "An event source mapping with UUID \(mapping.uuid) already exists")
        case nil:
            break
        }
        if persist {
            do { try await mapping.storeDefinition() } catch {
                await runtime.unregisterMapping(source: source.arn, function: function.functionArn)
                throw error
            }
        }
        await mapping.attach(checkpoints: checkpoints)
        return mapping
    }

    /// Saves the mapping's definition with its configuration as it is now.
    private func storeDefinition(_ configuration: EventSourceMappingConfiguration? = nil) throws(AWSError) {
        let definition = MappingDefinition(uuid: uuid, source: source, function: function.name, configuration: configuration ?? self.configuration)
        try runtime.saveDefinition(.eventSourceMapping, key: uuid, definition)
    }

    static func conflictMessage(_ source: MappingSource, _ function: any BatchInvocable, _ uuid: String) -> String {
        switch source {
        case .queue:
            return "An event source mapping with SQS arn (\" \(source.arn) \") and function (\" \(function.name) \") already exists. "
                + "Please update or delete the existing mapping with UUID \(uuid)"
        case .stream:
            return "The event source arn (\" \(source.arn) \") and function (\" \(function.name) \") provided mapping already exists. "
                + "Please update or delete the existing mapping with UUID \(uuid)"
        }
    }

    /// Starts listening to the source; a stream's shards start at their checkpoints, those
    /// without one at the starting position.
    private func attach(checkpoints: [Int: Int]) async {
        switch source {
        case .queue(let q):
            await q.addSendListener { [weak self] in await self?.pollQueue() }
        case .stream(let s):
            var start: [Int: Int] = [:]
            for shard in 0..<s.shardCount {
                switch settings.startingPosition {
                case .trimHorizon: start[shard] = await s.trimHorizon(shard: shard)
                case .latest: start[shard] = await s.nextSequenceValue
                case .atTimestamp(let date): start[shard] = await s.firstSequence(arrivedAtOrAfter: date)
                }
            }
            savedCheckpoints = checkpoints
            setLanes(shards: 0..<s.shardCount) { checkpoints[$0] ?? start[$0]! }
            await s.addPutListener { [weak self] in await self?.pollStream() }
        }
        wake()
    }

    /// Polls whatever is ready now (as scheduled work, so `settle()` waits for it).
    func wake() {
        runtime.performSoon { [weak self] in
            guard let self else { return }
            switch self.source {
            case .queue: await self.pollQueue()
            case .stream: await self.pollStream()
            }
        }
    }

    /// Schedules a poll at `due` unless one is already scheduled then under the same key.
    func wake(at due: Duration, key: String, _ poll: @escaping @Sendable (EventSourceMapping) async -> Void) async {
        let tag = "\(key)@\(due)"
        guard scheduledWakes.insert(tag).inserted else { return }
        let delay = max(.zero, due - runtime.clock.now)
        await runtime.schedule(after: delay) { [weak self] in
            guard let self else { return }
            await self.fired(tag)
            await poll(self)
        }
    }

    private func fired(_ tag: String) { scheduledWakes.remove(tag) }

    // MARK: control

    /// Pauses (`Enabled: false`) or resumes polling, and stores the setting. A batch in flight
    /// finishes. A setting that cannot be stored still applies here; it is logged and recorded.
    public func setEnabled(_ enabled: Bool) {
        guard state != .deleting else { return }
        var next = configuration
        next.enabled = enabled
        do { try storeDefinition(next) } catch {
            runtime.reportStorageFailure(error.message, resource: uuid, metadata: ["mapping": "\(uuid)"])
        }
        applyEnabled(enabled)
    }

    /// Stops polling without changing the stored `Enabled` (the runtime's graceful stop).
    func pause() { applyEnabled(false) }

    private func applyEnabled(_ enabled: Bool) {
        guard state != .deleting else { return }
        state = enabled ? .enabled : .disabled
        configuration.enabled = enabled
        settings.enabled = enabled
        if enabled { wake() } else { releaseHeldMessages() }
    }

    /// Messages gathered for a batching window are let go when polling pauses: they become
    /// visible again after their visibility timeout, and are received afresh.
    private func releaseHeldMessages() {
        heldMessages = []
        sqsWindowDeadline = nil
    }

    /// `UpdateEventSourceMapping`: changes settings, validated as on create (the starting
    /// position cannot change).
    public func update(_ change: (inout EventSourceMappingConfiguration) -> Void) throws(LambdaError) {
        var next = configuration
        change(&next)
        next.startingPosition = configuration.startingPosition
        guard state != .deleting else { return }
        let previous = settings
        let resolved = try ResolvedMappingSettings(next, source: source)
        try storeDefinition(next)
        settings = resolved
        configuration = next
        state = next.enabled ? .enabled : .disabled
        if !next.enabled { releaseHeldMessages() }
        if previous.parallelizationFactor != settings.parallelizationFactor { relanePending = true }
        wake()
    }

    /// Stops polling, waits for the batch in flight to finish and removes the mapping, its
    /// checkpoints and its stored definition. Records not yet delivered stay in the source.
    public func delete() async {
        state = .deleting
        while busyCount > 0 {
            await withCheckedContinuation { quietWaiters.append($0) }
        }
        if case .stream = source {
            do { try runtime.storage.checkpoints.remove(mapping: uuid) } catch {
                runtime.reportStorageFailure(
                    "could not remove the checkpoints of event source mapping \(uuid): \(error)", resource: uuid,
                    metadata: ["mapping": "\(uuid)"])
            }
        }
        do { try runtime.removeDefinition(.eventSourceMapping, key: uuid) } catch {
            runtime.reportStorageFailure(error.message, resource: uuid, metadata: ["mapping": "\(uuid)"])
        }
        await runtime.unregisterMapping(source: source.arn, function: function.functionArn)
    }

    func beginWork() { busyCount += 1 }

    func endWork() {
        busyCount -= 1
        if busyCount == 0 {
            let waiting = quietWaiters
            quietWaiters = []
            for c in waiting { c.resume() }
        }
    }

    /// Backoff between stream retries and after throttles: 1 s doubling to at most 60 s
    /// [unverified: AWS documents retries but not their spacing].
    static func backoff(_ n: Int) -> Duration { .seconds(min(1 << min(max(n - 1, 0), 6), 60)) }

    /// The largest batch payload Lambda sends (6 MB, the synchronous invocation limit).
    static let maximumPayloadBytes = 6_291_456
}
