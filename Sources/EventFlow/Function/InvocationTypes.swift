import EventPatterns

/// How a function is invoked (Lambda's `InvocationType`).
public enum InvocationType: Sendable {
    /// Synchronous: the caller gets the result; destinations never fire.
    case requestResponse
    /// Asynchronous: queued, answered at once with 202; retries, event age and destinations apply.
    case event
    /// Validates the call without running the function (204).
    case dryRun
}

/// What `invoke` returns, as Lambda's Invoke API does.
public struct InvokeResult: Sendable, Equatable {
    public var statusCode: Int
    /// The response (or error object) for synchronous calls; nil for `.event` (empty body).
    public var payload: JSONValue?
    /// "Handled" or "Unhandled" when the function failed.
    public var functionError: String?
    public var executedVersion: String?

    public init(statusCode: Int, payload: JSONValue? = nil, functionError: String? = nil, executedVersion: String? = nil) {
        self.statusCode = statusCode
        self.payload = payload
        self.functionError = functionError
        self.executedVersion = executedVersion
    }
}

/// What the handler sees of its invocation.
public struct InvocationContext: Sendable {
    public var requestId: String
    /// The qualified ARN invoked (`...:function:name:$LATEST`).
    public var invokedFunctionArn: String
    /// 1 on the first attempt, 2 on the first retry, ...
    public var attempt: Int
    /// The runtime whose clock `sleep(for:)` uses (real time when nil).
    let runtime: EventFlowRuntime?

    public init(requestId: String, invokedFunctionArn: String, attempt: Int = 1, runtime: EventFlowRuntime? = nil) {
        self.requestId = requestId
        self.invokedFunctionArn = invokedFunctionArn
        self.attempt = attempt
        self.runtime = runtime
    }

    /// Simulates work taking `duration` on the runtime's clock: on a test clock the scheduler
    /// sees it (time-outs, concurrency and `advance(by:)` all count it) and no real time passes.
    /// Throws `CancellationError` when the attempt timed out meanwhile.
    public func sleep(for duration: Duration) async throws {
        if let runtime {
            try await runtime.sleep(for: duration)
        } else {
            try await Task.sleep(for: duration)
        }
    }
}

/// A function a runtime can look up by name or ARN, whatever its payload and response types.
public protocol InvocableFunction: AsyncInvocable, BatchInvocable, StoreResumable {
    /// Invokes synchronously with a JSON payload (`RequestResponse`), as the Invoke API does.
    func invokeJSON(_ payload: JSONValue, qualifier: String) async throws(AWSError) -> InvokeResult
}

/// A resource whose stored work resumes at start-up (`EventFlowRuntime.resumeStoredWork()`).
public protocol StoreResumable: Sendable {
    func resumeFromStore() async
}
