import EventPatterns

/// A rule target: where matching events go, and in what form.
public struct Target: Sendable {
    public enum Kind: Sendable {
        /// Invoked asynchronously, as EventBridge invokes Lambda targets.
        case function(any AsyncInvocable)
        case queue(Queue)
        case topic(Topic)
        /// Bus-to-bus: the event is put on the other bus unchanged.
        case bus(EventBus)
        /// A closure: code, so not stored with the rule's definition (see `EventFlowRuntime.restore()`).
        case handler(@Sendable (JSONValue) async throws -> Void)

        var deliveryTarget: DeliveryTarget {
            switch self {
            case .function(let f): return .function(f)
            case .queue(let q): return .queue(q)
            case .topic(let t): return .topic(t)
            case .bus(let b): return .bus(b)
            case .handler(let h): return .handler(h)
            }
        }

        var arn: String { deliveryTarget.arn }

        var isBus: Bool {
            if case .bus = self { return true }
            return false
        }
    }

    public var id: String
    public var kind: Kind
    public var input: TargetInput
    /// How a delivery that fails with a retryable error is retried (EventBridge's defaults: 185
    /// retries, one day).
    public var retryPolicy: RetryPolicy
    /// Where events go that could not be delivered; without one they are dropped (recorded,
    /// counted and logged).
    public var deadLetterConfig: DeadLetterConfig?

    public init(
        id: String, _ kind: Kind, input: TargetInput = .event, retryPolicy: RetryPolicy = RetryPolicy(),
        deadLetterConfig: DeadLetterConfig? = nil
    ) {
        self.id = id
        self.kind = kind
        self.input = input
        self.retryPolicy = retryPolicy
        self.deadLetterConfig = deadLetterConfig
    }
}

/// A rule on a bus: a name, a compiled pattern and up to five targets.
public struct Rule: Sendable {
    public var name: String
    /// The typed source that created the rule, if one did (see `EventSource.pipe`).
    var owner: SourceOwner?
    public var arn: String
    public var pattern: EventPattern
    public var targets: [Target]
    /// `Description` (at most 512 characters).
    public var description: String? = nil
    /// `State`: a disabled rule matches no event.
    public var state: RuleState = .enabled
}
