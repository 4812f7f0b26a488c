import EventPatterns

extension LambdaFunction {
    /// Lambda's Invoke. `.requestResponse` runs the handler now and returns its result (a
    /// function error is a 200 with `functionError`), and is throttled like any invocation:
    /// with no concurrency left it throws `TooManyRequestsException`. `.event` queues the event
    /// (202). `.dryRun` only validates (204). Payloads over the limit of their type (1 MB for
    /// `.event`, 6 MB for `.requestResponse`) are refused with `RequestEntityTooLargeException`.
    public func invoke(_ type: InvocationType, _ payload: Payload, qualifier: String = "$LATEST") async throws -> InvokeResult {
        let (qualifier, executed) = try resolve(qualifier)
        switch type {
        case .dryRun:
            return InvokeResult(statusCode: 204)
        case .requestResponse:
            let json: JSONValue
            switch try JSONBridge.encode(payload, limit: maxSyncPayloadBytes) {
            case .success(let j): json = j
            case .failure(let e): throw AWSError.syncTooLarge(e.bytes, limit: maxSyncPayloadBytes)
            }
            return try await invokeSynchronously(json, qualifier: qualifier, executedVersion: executed)
        case .event:
            switch try JSONBridge.encode(payload, limit: maxAsyncPayloadBytes) {
            case .success(let json): try await enqueue(json, qualifier: qualifier)
            case .failure(let e): throw AWSError.tooLarge(e.bytes, limit: maxAsyncPayloadBytes)
            }
            return InvokeResult(statusCode: 202)
        }
    }

    /// A typed synchronous call: the handler's response, or the function's error as a thrown
    /// `FunctionError` (its type and message as Lambda reports them).
    public func call(_ payload: Payload, qualifier: String = "$LATEST") async throws -> Response {
        let result = try await invoke(.requestResponse, payload, qualifier: qualifier)
        let body = result.payload ?? .null
        if result.functionError != nil {
            throw FunctionError(type: body["errorType"]?.stringValue ?? "Error", body["errorMessage"]?.stringValue ?? body.jsonText)
        }
        return try JSONBridge.decode(Response.self, from: body)
    }

    /// Synchronous invocation with a JSON payload (the Invoke API's `RequestResponse`).
    public func invokeJSON(_ payload: JSONValue, qualifier: String = "$LATEST") async throws(AWSError) -> InvokeResult {
        let (qualifier, executed) = try resolve(qualifier)
        let size = JSONSize.of(payload)
        guard size <= maxSyncPayloadBytes else { throw .syncTooLarge(size, limit: maxSyncPayloadBytes) }
        return try await invokeSynchronously(payload, qualifier: qualifier, executedVersion: executed)
    }

    private func invokeSynchronously(
        _ payload: JSONValue, qualifier: String, executedVersion executed: String
    ) async throws(AWSError) -> InvokeResult {
        let requestId = runtime.ids.make()
        guard acquireExecution() else {
            counter("Throttles").increment()
            runtime.record(.throttled, resource: functionArn, id: requestId, reason: "TooManyRequestsException")
            throw .throttled(reserved: reservedConcurrency != nil)
        }
        defer { releaseExecution() }
        counter("Invocations").increment()
        let context = InvocationContext(
            requestId: requestId, invokedFunctionArn: qualifiedArn(qualifier), attempt: 1, runtime: runtime)
        var result = await execute(payload, context)
        if case .success(let response) = result, JSONSize.of(response) > maxSyncPayloadBytes {
            result = .failure(ResponseTooLarge())
        }
        switch result {
        case .success(let response):
            runtime.record(.attempt, resource: functionArn, id: requestId, attempt: 1, result: "Success")
            return InvokeResult(statusCode: 200, payload: response, executedVersion: executed)
        case .failure(let error):
            counter("Errors").increment()
            let e = ErrorPayload.make(error)
            runtime.record(.attempt, resource: functionArn, id: requestId, attempt: 1, result: e.functionError, reason: e.message)
            return InvokeResult(statusCode: 200, payload: e.payload, functionError: e.functionError, executedVersion: executed)
        }
    }

    /// `Event` invocation with a JSON payload (destinations, rule targets, topic subscriptions).
    /// A payload the handler cannot decode fails like a handler error, with retries.
    public func invokeAsynchronously(_ payload: JSONValue) async throws(AWSError) {
        let size = JSONSize.of(payload)
        guard size <= maxAsyncPayloadBytes else { throw .tooLarge(size, limit: maxAsyncPayloadBytes) }
        try await enqueue(payload, qualifier: "$LATEST")
    }

    /// A synchronous invocation on behalf of an event source mapping: counted against
    /// concurrency (throttled when none is left), never retried here, no destinations.
    public func invokeForMapping(_ payload: JSONValue) async -> MappingInvocation {
        let requestId = runtime.ids.make()
        guard acquireExecution() else {
            counter("Throttles").increment()
            return .throttled(requestId: requestId)
        }
        defer { releaseExecution() }
        counter("Invocations").increment()
        let context = InvocationContext(requestId: requestId, invokedFunctionArn: "\(functionArn):$LATEST", attempt: 1, runtime: runtime)
        switch await execute(payload, context) {
        case .success(let response):
            return .response(response, requestId: requestId)
        case .failure(let error):
            counter("Errors").increment()
            let e = ErrorPayload.make(error)
            return .functionError(e.payload, requestId: requestId, message: e.message)
        }
    }
}
