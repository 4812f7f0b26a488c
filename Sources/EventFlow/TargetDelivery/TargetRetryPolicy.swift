extension Target {
    /// EventBridge's `RetryPolicy` of a rule target: how often and how long a delivery that fails
    /// with a retryable error is tried again (exponential back-off with jitter, `TargetBackoff`).
    public struct RetryPolicy: Sendable, Equatable, Codable {
        /// 0...185; EventBridge's default is 185.
        public var maximumRetryAttempts: Int
        /// 60...86400 (one day); EventBridge's default is 86400.
        public var maximumEventAgeInSeconds: Int

        public static let retryAttemptsRange = 0...185
        public static let eventAgeRange = 60...86_400

        public init(maximumRetryAttempts: Int = 185, maximumEventAgeInSeconds: Int = 86_400) {
            self.maximumRetryAttempts = maximumRetryAttempts
            self.maximumEventAgeInSeconds = maximumEventAgeInSeconds
        }

        /// PutTargets' validation, with the request's member path (`targets.1.member`): the text
        /// AWS answers with, e.g. "1 validation error detected: Value '0' at
        /// 'targets.1.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint:
        /// Member must have value greater than or equal to 60".
        func check(member: String) throws(AWSError) {
            try Self.check(maximumRetryAttempts, in: Self.retryAttemptsRange, at: "\(member).retryPolicy.maximumRetryAttempts")
            try Self.check(maximumEventAgeInSeconds, in: Self.eventAgeRange, at: "\(member).retryPolicy.maximumEventAgeInSeconds")
        }

        private static func check(_ value: Int, in range: ClosedRange<Int>, at field: String) throws(AWSError) {
            if value < range.lowerBound {
                throw .validation("\(value)", field, "Member must have value greater than or equal to \(range.lowerBound)")
            }
            if value > range.upperBound {
                throw .validation("\(value)", field, "Member must have value less than or equal to \(range.upperBound)")
            }
        }
    }

    /// EventBridge's `DeadLetterConfig`: the SQS queue a rule target's undeliverable events go to,
    /// each the original event (before the target's input transformation) with attributes saying
    /// why (`RULE_ARN`, `TARGET_ARN`, `ERROR_CODE`, `ERROR_MESSAGE`, `EXHAUSTED_RETRY_CONDITION`,
    /// `RETRY_ATTEMPTS`).
    public struct DeadLetterConfig: Sendable {
        public var queue: Queue
        /// `Arn`: the queue's ARN.
        public var arn: String { queue.arn }

        public init(_ queue: Queue) { self.queue = queue }
    }
}
