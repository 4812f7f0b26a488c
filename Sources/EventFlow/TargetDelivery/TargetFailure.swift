/// A rule target's refusal as EventBridge classifies it: the `ERROR_CODE` its dead-letter
/// messages carry (names from the user guide's list of DLQ error codes) and whether it is
/// retried. EventBridge retries only what may pass later — HTTP 5xx and 429 (AWS Knowledge
/// Center, "EventBridge FailedInvocation errors"): throttling, a target's internal failure; a
/// missing resource or a request the target can never take (too large, not valid) goes to the
/// dead-letter queue, or is dropped, at once (user guide, "Using dead-letter queues").
struct TargetFailure: Sendable, Equatable {
    /// `ERROR_CODE`, e.g. "NO_RESOURCE", "THROTTLING", "INVALID_PARAMETER", "ERROR_FROM_TARGET".
    var errorCode: String
    /// `ERROR_MESSAGE`: the target's own error.
    var message: String
    var retryable: Bool
    /// A typed source or handler could not decode the event (recorded as a failed decode).
    var decode = false

    init(errorCode: String, message: String, retryable: Bool, decode: Bool = false) {
        self.errorCode = errorCode
        self.message = message
        self.retryable = retryable
        self.decode = decode
    }

    init(_ failure: DeliveryFailure) {
        message = failure.reason
        decode = failure.decode
        if failure.decode {
            (errorCode, retryable) = ("INVALID_JSON", false)
            return
        }
        switch failure.code {
        case .resourceNotFound?: (errorCode, retryable) = ("NO_RESOURCE", false)
        case .tooManyRequests?: (errorCode, retryable) = ("THROTTLING", true)
        case let code? where code.httpStatus >= 500: (errorCode, retryable) = ("ERROR_FROM_TARGET", true)
        case _?: (errorCode, retryable) = ("INVALID_PARAMETER", false)
        // Not an AWS error: a closure that threw, retried as a target's failure would be.
        case nil: (errorCode, retryable) = ("ERROR_FROM_TARGET", true)
        }
    }

    /// The target's resource is not registered any more (a delivery resumed after a restart).
    static func noResource(_ description: String) -> TargetFailure {
        TargetFailure(errorCode: "NO_RESOURCE", message: "ResourceNotFoundException: \(description) does not exist", retryable: false)
    }
}
