/// A piped target's retry policy and dead-letter queue, as Functionless's `.pipe(target, props)`
/// takes them (`retryAttempts`, `maxEventAge`, `deadLetterQueue`); what is not given keeps
/// EventBridge's defaults (185 retries, one day, no dead-letter queue).
public struct TargetProps: Sendable {
    /// `MaximumRetryAttempts` (0...185).
    public var retryAttempts: Int?
    /// `MaximumEventAgeInSeconds` (60 s ... 1 day, whole seconds).
    public var maxEventAge: Duration?
    public var deadLetterQueue: Queue?

    public init(retryAttempts: Int? = nil, maxEventAge: Duration? = nil, deadLetterQueue: Queue? = nil) {
        self.retryAttempts = retryAttempts
        self.maxEventAge = maxEventAge
        self.deadLetterQueue = deadLetterQueue
    }

    /// The target these props make of `kind` (its id is set by the rule's source).
    func target(_ kind: Target.Kind) throws(AWSError) -> Target {
        let defaults = Target.RetryPolicy()
        var age = defaults.maximumEventAgeInSeconds
        if let maxEventAge {
            let (seconds, attoseconds) = maxEventAge.components
            guard attoseconds == 0 else {
                // CDK's Duration.toSeconds() refuses the same way (not an AWS text: AWS takes whole seconds only).
                throw AWSError(.validation, "maxEventAge \(maxEventAge) cannot be converted into a whole number of seconds.")
            }
            age = Int(clamping: seconds)
        }
        return Target(
            id: "", kind,
            retryPolicy: Target.RetryPolicy(
                maximumRetryAttempts: retryAttempts ?? defaults.maximumRetryAttempts, maximumEventAgeInSeconds: age),
            deadLetterConfig: deadLetterQueue.map(Target.DeadLetterConfig.init))
    }
}
