import EventPatterns

/// A delivery a rule target owes, as its bus works it off: made when an event is routed, or
/// taken from the store after a restart (`StoredTargetDelivery` is its stored form).
struct PendingDelivery: Sendable {
    var key: TargetDeliveryKey
    var ruleArn: String
    var event: JSONValue
    /// What the target gets (the event, or its rendered input).
    var input: JSONValue
    /// When the event was routed, on the runtime's clock (its age counts from then).
    var routedAt: Duration
    var attempts = 0
    /// Where it goes; nil when the target's resource is not registered (a resumed delivery).
    var target: DeliveryTarget?
    var targetArn: String
    /// The target's resource; nil for a closure, which is code: kept in memory only.
    var reference: DefinitionReference?
    var policy: Target.RetryPolicy
    var deadLetter: Queue?
    /// The dead-letter queue's name when it is stored but no such queue is registered.
    var missingDeadLetter: String?

    /// Kept in the bus store until it ends (resource targets only).
    var durable: Bool { reference != nil }

    init(event: JSONValue, id: String, input: JSONValue, rule: Rule, target: Target, bus: String, now: Duration) {
        key = TargetDeliveryKey(bus: bus, eventId: id, rule: rule.name, targetId: target.id)
        ruleArn = rule.arn
        self.event = event
        self.input = input
        routedAt = now
        self.target = target.kind.deliveryTarget
        targetArn = target.kind.arn
        reference = target.kind.reference
        policy = target.retryPolicy
        deadLetter = target.deadLetterConfig?.queue
    }

    /// A stored delivery resumed: to the target the rule has now under the same id if it is the
    /// same resource, else to the resource itself if it is registered; nil target otherwise.
    init(resumed s: StoredTargetDelivery, rule: Rule?, runtime: EventFlowRuntime) {
        let reference = DefinitionReference(kind: s.targetKind, name: s.targetName)
        key = s.key
        ruleArn = s.ruleArn
        event = s.event
        input = s.input
        routedAt = runtime.clock.offset(of: s.routedAt)
        attempts = s.attempts
        targetArn = s.targetArn
        self.reference = reference
        policy = Target.RetryPolicy(maximumRetryAttempts: s.maximumRetryAttempts, maximumEventAgeInSeconds: s.maximumEventAgeInSeconds)
        if let current = rule?.targets.first(where: { $0.id == s.key.targetId && $0.kind.reference == reference }) {
            target = current.kind.deliveryTarget
        } else {
            target = (try? runtime.targetKind(reference))?.deliveryTarget
        }
        if let name = s.deadLetterQueue {
            deadLetter = runtime.registry.lookup(.queue, name: name, as: Queue.self)
            if deadLetter == nil { missingDeadLetter = name }
        }
    }

    /// The stored form, due at `dueAt`; nil for a closure target.
    func stored(dueAt: Duration, clock: RuntimeClock) -> StoredTargetDelivery? {
        guard let reference else { return nil }
        return StoredTargetDelivery(
            key: key, ruleArn: ruleArn, targetKind: reference.kind, targetName: reference.name, targetArn: targetArn,
            deadLetterQueue: deadLetter?.name ?? missingDeadLetter, maximumRetryAttempts: policy.maximumRetryAttempts,
            maximumEventAgeInSeconds: policy.maximumEventAgeInSeconds, event: event, input: input, routedAt: clock.date(at: routedAt),
            attempts: attempts, dueAt: clock.date(at: dueAt))
    }
}
