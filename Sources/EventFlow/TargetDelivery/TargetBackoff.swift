/// When a rule target's failed delivery is tried again. EventBridge documents "exponential back
/// off and jitter" but not its numbers; these follow the AWS Architecture Blog's "Exponential
/// Backoff And Jitter" (equal jitter): retry n waits between half and all of
/// min(10 min, 1 s × 2^(n-1)). With the default policy, 185 retries take about 22 hours, so both
/// of EventBridge's defaults (24 hours, 185 times) end a delivery at about the same time.
///
/// The jitter is a hash of the delivery's key and the retry number rather than a random draw, so
/// a test runtime (sequential ids) repeats exactly, and a resumed delivery keeps its schedule.
enum TargetBackoff {
    static let base: Duration = .seconds(1)
    static let cap: Duration = .seconds(600)

    enum Decision: Equatable {
        case retry(after: Duration)
        /// `EXHAUSTED_RETRY_CONDITION`: "MaximumRetryAttempts" or "MaximumEventAgeInSeconds".
        case giveUp(condition: String)
    }

    /// The wait before retry number `retry` (1, 2, ...) of the delivery `key`.
    static func delay(beforeRetry retry: Int, key: String) -> Duration {
        let doublings = min(max(retry - 1, 0), 30)
        let ceiling = min(cap, base * (1 << doublings))
        let permille = Int(fnv1a("\(key)#\(retry)") % 501)  // 0...500: the jitter
        return ceiling * (500 + permille) / 1000
    }

    /// After attempt number `attempts` failed with a retryable error, `age` after the event was
    /// routed: retry, or give up because the policy's attempts or age ran out (a retry that
    /// would come after the maximum age is not waited for).
    static func afterFailure(attempts: Int, age: Duration, policy: Target.RetryPolicy, key: String) -> Decision {
        let retries = attempts - 1
        if retries >= policy.maximumRetryAttempts { return .giveUp(condition: "MaximumRetryAttempts") }
        let wait = delay(beforeRetry: retries + 1, key: key)
        if age + wait > .seconds(policy.maximumEventAgeInSeconds) { return .giveUp(condition: "MaximumEventAgeInSeconds") }
        return .retry(after: wait)
    }

    private static func fnv1a(_ s: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in s.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
