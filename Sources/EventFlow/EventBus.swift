import EventPatterns
import Foundation
import Metrics
import DequeModule

/// A named event bus with PutEvents semantics; all its rules share one compiled matcher.
public actor EventBus {
    public nonisolated let name: String
    public nonisolated let arn: String
    nonisolated let runtime: EventFlowRuntime
    private nonisolated let matcher = EventMatcher()
    private(set) var rules: [String: Rule] = [:]
    /// MatchedEvents counters by rule name.
    private var matchedCounters = CounterCache()

    /// PutEvents' request size limit (1 MB; the runtime's `limits.maxPutEventsBytes` unless given).
    public nonisolated let maxRequestBytes: Int
    public static let maxEntriesPerRequest = 10
    public static let maxTargetsPerRule = 5

    /// The latest events accepted (the runtime's `historyCapacity`), oldest first, for
    /// inspection in tests; `acceptedEvents()` streams every one. On durable storage it is kept
    /// with the events and read back when the bus is created again (after a restart).
    public var accepted: [JSONValue] { history.elements }
    private var history: History<JSONValue>
    public var acceptedHistoryLimit: Int { history.capacity }

    public func setAcceptedHistoryLimit(_ limit: Int) { history.setCapacity(limit) }

    /// Every event accepted from now on.
    public func acceptedEvents() -> AsyncStream<JSONValue> {
        history.makeStream { id in Task { await self.dropStream(id) } }
    }

    private func dropStream(_ id: Int) { history.removeStream(id) }

    /// Target delivery attempts that failed (a queue rejecting the message, for example).
    public internal(set) var failedTargetDeliveries = 0
    /// Accepted events not routed yet, in order, each with its id (read once, on acceptance);
    /// `redelivered`: stored by an earlier process. One action routes them.
    private var unrouted = Deque<(event: JSONValue, id: String, redelivered: Bool)>()
    private var routing = false
    /// Ids of the stored events this process accepted or took from the store, until routed.
    var inProcess: Set<String> = []
    /// Keys of the stored deliveries this process made or took from the store, until they end.
    var deliveriesInProcess: Set<TargetDeliveryKey> = []
    /// Set once the events an earlier process stored were taken (`resumeFromStore()`).
    var resumedFromStore = false

    /// Creates the bus and stores its definition for `EventFlowRuntime.restore()` (its rules are
    /// stored as they are put).
    public init(name: String, runtime: EventFlowRuntime, maxRequestBytes: Int? = nil) throws(AWSError) {
        try self.init(name: name, runtime: runtime, maxRequestBytes: maxRequestBytes, persist: true)
    }

    /// `persist: false` for a bus restored from its stored definition.
    init(name: String, runtime: EventFlowRuntime, maxRequestBytes: Int?, persist: Bool) throws(AWSError) {
        self.init(unregistered: name, runtime: runtime, maxRequestBytes: maxRequestBytes)
        guard name != "default" else { throw ResourceRegistry.alreadyExists(.bus, name: name, arn: arn) }
        let definition = BusDefinition(name: name, maxRequestBytes: self.maxRequestBytes)
        try runtime.registry.register(self, kind: .bus, name: name, arn: arn, storing: .bus, persist ? definition : nil, runtime: runtime)
        if runtime.storedWorkResumed.load(ordering: .acquiring) { runtime.performSoon { await self.resumeFromStore() } }
    }

    private init(unregistered name: String, runtime: EventFlowRuntime, maxRequestBytes: Int?) {
        self.name = name
        self.arn = runtime.arn("events", "event-bus/\(name)")
        self.runtime = runtime
        self.maxRequestBytes = maxRequestBytes ?? runtime.limits.maxPutEventsBytes
        self.history = History(capacity: runtime.limits.historyCapacity)
        // On durable storage the accepted history outlives the process that accepted it.
        do {
            for event in try runtime.storage.busEvents.history(bus: name, limit: history.capacity) { history.append(event) }
        } catch {
            runtime.reportStorageFailure(
                "could not read the accepted history of event bus \(name): \(error)", resource: arn, metadata: ["bus": "\(name)"])
        }
    }

    /// The runtime's default bus: one per runtime, as EventBridge has one per account and region.
    public static func `default`(_ runtime: EventFlowRuntime) -> EventBus {
        runtime.registry.existing(.bus, name: "default", arn: runtime.arn("events", "event-bus/default")) {
            EventBus(unregistered: "default", runtime: runtime, maxRequestBytes: nil)
        }
    }

    // MARK: rules

    /// Creates or replaces a rule and stores its definition: the pattern and the targets that
    /// are resources (queue, bus, function, topic) with their input, retry policy and dead-letter
    /// queue (see `EventBus+Delivery` for how deliveries are retried and stored). Closure targets
    /// (`.handler`) are code: not stored; after `EventFlowRuntime.restore()` put them again.
    /// A `DISABLED` rule matches no event until `enableRule`.
    public func putRule(
        _ name: String, pattern: EventPattern, targets: [Target] = [], description: String? = nil, state: RuleState = .enabled
    ) throws(EventBusError) {
        try putRule(name, pattern: pattern, targets: targets, description: description, state: state, owner: nil, persist: true)
    }

    /// Rules of typed sources (`owner`) are code, like the sources that pipe them: never stored.
    func putRule(
        _ name: String, pattern: EventPattern, targets: [Target], description: String? = nil, state: RuleState = .enabled,
        owner: SourceOwner?, persist: Bool
    ) throws(EventBusError) {
        let validName = !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0)) }
        guard validName else {
            throw AWSError(.validation, "1 validation error detected: Value '\(name)' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")
        }
        try Self.checkDescription(description)
        try checkRetryPolicies(targets)
        try checkTargets(targets)
        let rule = Rule(
            name: name, owner: owner, arn: ruleArn(name), pattern: pattern, targets: targets, description: description, state: state)
        if persist { try store(rule) }
        matcher.removeRule(name)
        matcher.addRule(name, pattern: pattern)
        rules[name] = rule
    }

    /// Stores a rule's definition, unless a typed source owns it.
    private func store(_ rule: Rule) throws(AWSError) {
        guard rule.owner == nil else { return }
        try runtime.saveDefinition(.rule, key: RuleDefinition.key(bus: name, rule: rule.name), RuleDefinition(bus: name, rule: rule))
    }

    /// Rule ARNs name the bus, except on the default bus (`rule/<name>`).
    private func ruleArn(_ rule: String) -> String {
        runtime.arn("events", self.name == "default" ? "rule/\(rule)" : "rule/\(self.name)/\(rule)")
    }

    /// A typed source's `pipe`: the first creates the rule, later ones from the same source add
    /// a target (up to five); a rule of that name from anywhere else is an error, since a
    /// source's id is its rule's name and names are unique per bus.
    func pipeSource(_ name: String, owner: SourceOwner, pattern: EventPattern, target: Target) throws(AWSError) {
        var target = target
        guard let existing = rules[name] else {
            target.id = "\(name)-target"
            try putRule(name, pattern: pattern, targets: [target], owner: owner, persist: false)
            return
        }
        guard existing.owner == owner else {
            throw AWSError(
                .resourceAlreadyExists,
                "Rule \(name) already exists on EventBus \(self.name): source ids name rules and must be unique per bus")
        }
        target.id = "\(name)-target-\(existing.targets.count + 1)"
        try putTargets(rule: name, [target])
    }

    public func putRule(
        _ name: String, pattern: String, targets: [Target] = [], description: String? = nil, state: RuleState = .enabled
    ) throws -> Void {
        try putRule(name, pattern: try EventPattern(pattern), targets: targets, description: description, state: state)
    }

    /// Adds targets to an existing rule (at most five in all) and stores the rule's definition.
    public func putTargets(rule name: String, _ targets: [Target]) throws(EventBusError) {
        var rule = try existingRule(name)
        try checkRetryPolicies(targets)
        let merged = rule.targets.filter { t in !targets.contains { $0.id == t.id } } + targets
        try checkTargets(merged)
        rule.targets = merged
        try store(rule)
        rules[name] = rule
    }

    private func existingRule(_ name: String) throws(EventBusError) -> Rule {
        guard let rule = rules[name] else {
            throw AWSError(.resourceNotFound, "Rule \(name) does not exist on EventBus \(self.name).")
        }
        return rule
    }

    /// Sets a rule's state and stores its definition with it.
    func setRuleState(_ name: String, _ state: RuleState) throws(EventBusError) {
        var rule = try existingRule(name)
        rule.state = state
        try store(rule)
        rules[name] = rule
    }

    /// The retry policies of a request's targets, each named by its place in the request.
    private func checkRetryPolicies(_ targets: [Target]) throws(EventBusError) {
        for (i, t) in targets.enumerated() { try t.retryPolicy.check(member: "targets.\(i + 1).member") }
    }

    private func checkTargets(_ targets: [Target]) throws(EventBusError) {
        guard targets.count <= Self.maxTargetsPerRule else {
            throw AWSError(.limitExceeded, "The requested resource exceeds the maximum number allowed.")
        }
        for t in targets {
            if case .bus = t.kind, case .event = t.input {} else if case .bus = t.kind {
                throw AWSError(.validation, "Event bus rule target does not support target input.")
            }
            if let dlq = t.deadLetterConfig, dlq.queue.runtime !== runtime {
                // Not an AWS text (EventBridge cannot tell): a queue of another runtime is another account's.
                throw AWSError(
                    .validation, "The dead-letter queue \(dlq.arn) of target \(t.id) belongs to another EventFlowRuntime; use a queue of this one.")
            }
        }
    }

    /// Removes the rule and its stored definition.
    public func removeRule(_ name: String) throws(EventBusError) {
        if rules[name]?.owner == nil { try runtime.removeDefinition(.rule, key: RuleDefinition.key(bus: self.name, rule: name)) }
        rules[name] = nil
        matcher.removeRule(name)
    }

    public func rule(_ name: String) -> Rule? { rules[name] }

    // MARK: PutEvents

    public func putEvents(_ entries: [PutEventsEntry]) async throws(EventBusError) -> PutEventsResponse {

        guard entries.count <= Self.maxEntriesPerRequest else {
            throw AWSError(.validation, "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10")
        }
        guard entries.reduce(0, { $0 + $1.size }) <= maxRequestBytes else {
            throw AWSError(.validation, "Total size of the entries in the request is over the limit.")
        }
        var results: [PutEventsResponse.Entry] = []
        var events: [JSONValue] = []
        for entry in entries {
            switch envelope(entry) {
            case .success(let event):
                results.append(.accepted(eventId: event["id"]!.stringValue!))
                events.append(event)
            case .failure(let error):
                results.append(.failed(errorCode: error.type, errorMessage: error.message))
            }
        }
        // Accepted only once stored: an entry that could not be stored fails instead.
        if !events.isEmpty {
            if let error = await storeAccepted(events) {
                results = results.map { if case .accepted = $0 { .failed(errorCode: error.type, errorMessage: error.message) } else { $0 } }
            } else {
                for event in events { accept(event) }
            }
        }
        let failed = results.count { if case .failed = $0 { true } else { false } }
        return PutEventsResponse(failedEntryCount: failed, entries: results)
    }

    /// Builds the EventBridge envelope, or the per-entry error.
    private func envelope(_ entry: PutEventsEntry) -> Result<JSONValue, EventBusError> {
        func missing(_ field: String) -> EventBusError {
            AWSError(.invalidArgument, "Parameter \(field) is not valid. Reason: \(field) is a required argument.")
        }
        guard let source = entry.source, !source.isEmpty else { return .failure(missing("Source")) }
        guard let detailType = entry.detailType, !detailType.isEmpty else { return .failure(missing("DetailType")) }
        guard let detailText = entry.detail, !detailText.isEmpty else { return .failure(missing("Detail")) }
        guard let detail = try? JSONParser.parse(detailText), case .object = detail else {
            return .failure(AWSError(.malformedDetail, "Detail is malformed."))
        }
        let time = entry.time ?? AWSTime.seconds(runtime.clock.date(at: runtime.clock.now))
        return .success([
            "version": "0", "id": .string(runtime.ids.make()), "detail-type": .string(detailType),
            "source": .string(source), "account": .string(runtime.account), "time": .string(time),
            "region": .string(runtime.region), "resources": .array(entry.resources.map { .string($0) }), "detail": detail,
        ])
    }

    /// Keeps an accepted event and queues it for routing. PutEvents answers once its entries are
    /// accepted; targets get the events afterwards, in order, from one routing action.
    private func accept(_ event: JSONValue) {
        history.append(event)
        let id = event["id"]?.stringValue ?? ""
        runtime.record(.accepted, resource: arn, id: id)
        enqueue(event, id: id, redelivered: false)
    }

    /// Queues a stored event for routing; routed, it is removed from the store.
    func enqueue(_ event: JSONValue, id: String, redelivered: Bool) {
        unrouted.append((event, id, redelivered))
        guard !routing else { return }
        routing = true
        runtime.performSoon { await self.routeQueued() }
    }

    /// Routes the queued events in order: each event's deliveries replace it in the store, then
    /// each target gets its first attempt (retries are scheduled work).
    private func routeQueued() async {
        while let next = unrouted.popFirst() {
            let deliveries = route(next.event, id: next.id, redelivered: next.redelivered)
            await storeRouted(next.id, deliveries)
            for d in deliveries { await attempt(d) }
        }
        routing = false
    }

    /// The deliveries an accepted event (its id given) owes to every target of every matching rule.
    private func route(_ event: JSONValue, id: String, redelivered: Bool) -> [PendingDelivery] {
        var routed = false
        defer { if redelivered && !routed { reportUnroutable(id) } }
        var deliveries: [PendingDelivery] = []
        for name in matcher.matches(event: event) {
            guard let rule = rules[name], rule.state.routes else { continue }
            routed = true
            matchedCounters.counter(name) { Counter(label: "MatchedEvents", dimensions: [("RuleName", name)], factory: runtime.metrics) }
                .increment()
            runtime.record(.matched, resource: arn, id: id, rule: name)
            for target in rule.targets {
                guard let input = target.input.render(event, ruleName: rule.name, ruleArn: rule.arn) else {
                    runtime.record(.dropped, resource: rule.arn, id: id, rule: name, target: target.kind.arn, reason: "InputPath selected nothing")
                    continue
                }
                if case .bus(let other) = target.kind, other === self { continue }
                if redelivered, case .handler = target.kind {
                    skipClosure(id, rule: rule, target: target)
                    continue
                }
                deliveries.append(
                    PendingDelivery(
                        event: event, id: id, input: target.kind.isBus ? event : input, rule: rule, target: target, bus: self.name,
                        now: runtime.clock.now))
            }
        }
        return deliveries
    }

    /// An event forwarded from another bus: kept as it is and routed here.
    func acceptForwarded(_ event: JSONValue) async throws(AWSError) {
        if let error = await storeAccepted([event]) { throw error }
        accept(event)
    }
}
