/// Lambda's decision after a failed asynchronous attempt, as a pure value: retry after a delay
/// or give up with a condition. Retry n waits n × the base delay (60 s, then 120 s); the event is
/// given up on at once when that retry would not come before the maximum event age (AWS:
/// maximum age 60 → one attempt, 90 → two).
public struct AsyncRetryPolicy: Sendable, Equatable {
    public enum Decision: Sendable, Equatable {
        case retry(after: Duration)
        case giveUp(condition: String)
    }

    public var maximumRetryAttempts: Int
    public var maximumEventAgeInSeconds: Int
    public var retryBaseDelay: Duration

    public init(maximumRetryAttempts: Int = 2, maximumEventAgeInSeconds: Int = 21_600, retryBaseDelay: Duration = .seconds(60)) {
        self.maximumRetryAttempts = maximumRetryAttempts
        self.maximumEventAgeInSeconds = maximumEventAgeInSeconds
        self.retryBaseDelay = retryBaseDelay
    }

    /// After attempt number `attempts` failed, when the event is `age` old.
    public func afterFailure(attempts: Int, age: Duration) -> Decision {
        if attempts - 1 >= maximumRetryAttempts { return .giveUp(condition: "RetriesExhausted") }
        let delay = retryBaseDelay * attempts
        if (age + delay).ceilSeconds >= Int64(maximumEventAgeInSeconds) { return .giveUp(condition: "EventAgeExceeded") }
        return .retry(after: delay)
    }

    /// Whether an event `age` old may still be attempted.
    public func mayAttempt(age: Duration) -> Bool { age.ceilSeconds <= Int64(maximumEventAgeInSeconds) }
}
