import Foundation

/// Which delivery: one target of one rule for one event.
public struct TargetDeliveryKey: Sendable, Hashable, CustomStringConvertible {
    public var bus: String
    public var eventId: String
    public var rule: String
    public var targetId: String

    public init(bus: String, eventId: String, rule: String, targetId: String) {
        self.bus = bus
        self.eventId = eventId
        self.rule = rule
        self.targetId = targetId
    }

    public var description: String { "\(bus)/\(rule)/\(targetId)/\(eventId)" }
}

/// What a rule target still owes for a routed event, as the bus store keeps it: everything the
/// delivery needs even if the rule loses the target (or the bus the rule) before it ends — the
/// target's resource, its input as rendered, its retry policy and dead-letter queue — and its
/// retry state. Times are wall-clock instants, so they keep their meaning across restarts.
public struct StoredTargetDelivery: Sendable, Equatable {
    public var key: TargetDeliveryKey
    public var ruleArn: String
    /// The target's resource by kind and name, as definitions name it (a function by its name).
    public var targetKind: ResourceRegistry.Kind
    public var targetName: String
    public var targetArn: String
    /// The name of the target's dead-letter queue, if it has one.
    public var deadLetterQueue: String?
    public var maximumRetryAttempts: Int
    public var maximumEventAgeInSeconds: Int
    /// The whole event (what a dead-letter queue gets).
    public var event: JSONValue
    /// What the target gets: the event, or its input as the target's `TargetInput` rendered it.
    public var input: JSONValue
    /// When the event was routed (its age counts from then).
    public var routedAt: Date
    /// Attempts made, and when the next is due.
    public var attempts: Int
    public var dueAt: Date

    public init(
        key: TargetDeliveryKey, ruleArn: String, targetKind: ResourceRegistry.Kind, targetName: String, targetArn: String,
        deadLetterQueue: String?,
        maximumRetryAttempts: Int, maximumEventAgeInSeconds: Int, event: JSONValue, input: JSONValue, routedAt: Date,
        attempts: Int = 0, dueAt: Date
    ) {
        self.key = key
        self.ruleArn = ruleArn
        self.targetKind = targetKind
        self.targetName = targetName
        self.targetArn = targetArn
        self.deadLetterQueue = deadLetterQueue
        self.maximumRetryAttempts = maximumRetryAttempts
        self.maximumEventAgeInSeconds = maximumEventAgeInSeconds
        self.event = event
        self.input = input
        self.routedAt = routedAt
        self.attempts = attempts
        self.dueAt = dueAt
    }
}
