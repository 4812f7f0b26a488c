import EventPatterns
import Logging

/// An accepted asynchronous invocation, as Lambda's internal queue holds it.
struct QueuedEvent: Sendable {
    var requestId: String
    var payload: JSONValue
    var qualifier: String
    var enqueuedAt: Duration
    var attempts = 0
    var lastResponse: InvocationRecord.Response?
    var lastError: String?
}

extension LambdaFunction {
    /// Accepts an `Event` invocation into the function's queue.
    func enqueue(_ payload: JSONValue, qualifier: String) throws(AWSError) {
        let event = QueuedEvent(
            requestId: runtime.ids.make(), payload: payload, qualifier: qualifier, enqueuedAt: runtime.clock.now)
        counter("AsyncEventsReceived").increment()
        runtime.record(.accepted, resource: "\(functionArn):\(qualifier)", id: event.requestId)
        for _ in 0..<(duplicateDeliveries ? 2 : 1) { queue(event) }
    }

    /// Puts an event at the back of the queue (new, or due for a retry) and starts what can start.
    private func queue(_ event: QueuedEvent) {
        if concurrencyExhausted && reservedConcurrency != 0 {
            counter("Throttles").increment()
            runtime.record(.throttled, resource: functionArn, id: event.requestId, reason: "no concurrency left; waits in the queue")
        }
        asyncQueue.append(event)
        dispatchQueued()
    }

    /// Starts queued events, oldest first, while executions are free. Throttled events are not
    /// bounced on a timer: they wait in the queue, in order, and the next one starts as soon as
    /// an execution frees (when the function's concurrency rises, or an attempt ends).
    func dispatchQueued() {
        while let next = asyncQueue.first {
            if reservedConcurrency == 0 {
                asyncQueue.removeFirst()
                counter("Throttles").increment()
                let config = invokeConfigs[next.qualifier] ?? EventInvokeConfig()
                runtime.performSoon { await self.finish(next, condition: .zeroReservedConcurrency, config: config) }
                continue
            }
            guard acquireExecution() else { return }
            asyncQueue.removeFirst()
            runtime.performSoon { await self.attempt(next) }
        }
    }

    /// The retry and age rules for a qualifier.
    func retryPolicy(_ config: EventInvokeConfig) -> AsyncRetryPolicy {
        AsyncRetryPolicy(
            maximumRetryAttempts: config.retryAttempts, maximumEventAgeInSeconds: config.maximumEventAge, retryBaseDelay: retryBaseDelay)
    }

    /// One attempt of a queued event, holding an execution taken by `dispatchQueued`.
    private func attempt(_ e: QueuedEvent) async {
        var event = e
        let config = invokeConfigs[event.qualifier] ?? EventInvokeConfig()
        let policy = retryPolicy(config)
        let executed = (try? resolve(event.qualifier).executedVersion) ?? "$LATEST"
        let age = runtime.clock.now - event.enqueuedAt
        eventAgeTimer.recordNanoseconds(age.components.seconds * 1_000_000_000)
        guard policy.mayAttempt(age: age) else {
            releaseExecution()
            await finish(event, condition: .eventAgeExceeded, config: config)
            return
        }
        event.attempts += 1
        counter("Invocations").increment()
        let context = InvocationContext(
            requestId: event.requestId, invokedFunctionArn: "\(functionArn):\(event.qualifier)", attempt: event.attempts,
            runtime: runtime)
        let result = await execute(event.payload, context)
        releaseExecution()
        switch result {
        case .success(let response):
            runtime.record(.attempt, resource: functionArn, id: event.requestId, attempt: event.attempts, result: "Success")
            event.lastResponse = .init(executedVersion: executed, functionError: nil, payload: response)
            await finish(event, condition: .success, config: config)
        case .failure(let error):
            counter("Errors").increment()
            let e = ErrorPayload.make(error)
            runtime.record(
                .attempt, resource: functionArn, id: event.requestId, attempt: event.attempts, result: e.functionError, reason: e.message)
            event.lastResponse = .init(executedVersion: executed, functionError: e.functionError, payload: e.payload)
            event.lastError = e.message
            switch policy.afterFailure(attempts: event.attempts, age: runtime.clock.now - event.enqueuedAt) {
            case .giveUp(let condition):
                await finish(event, condition: InvocationRecord.Condition(rawValue: condition)!, config: config)
            case .retry(let delay):
                let next = event
                await runtime.schedule(after: delay) { await self.requeue(next) }
            }
        }
    }

    private func requeue(_ event: QueuedEvent) { queue(event) }

    /// Records the outcome and delivers the record to the destination (and, on failure, the
    /// original event to the dead-letter queue). An outcome with nowhere to go is a counted,
    /// logged drop that names the last error.
    func finish(_ event: QueuedEvent, condition: InvocationRecord.Condition, config: EventInvokeConfig) async {
        let zeroConcurrency = condition == .zeroReservedConcurrency
        let qualifiedArn = "\(functionArn):\(event.qualifier)"
        let record = InvocationRecord.make(
            timestamp: runtime.clock.date(at: runtime.clock.now), requestId: event.requestId, functionArn: qualifiedArn,
            condition: condition, invokeCount: zeroConcurrency ? 0 : event.attempts, requestPayload: event.payload,
            response: zeroConcurrency ? nil : event.lastResponse)
        var outcome = AsyncOutcome(requestId: event.requestId, condition: condition.rawValue, record: record)
        runtime.record(.outcome, resource: qualifiedArn, id: event.requestId, result: condition.rawValue, reason: event.lastError)
        let destination = condition == .success ? config.onSuccess : config.onFailure
        if let destination {
            let delivered = await runtime.deliver(
                Delivery(
                    .json(record),
                    busEntry: .init(
                        source: "lambda",
                        detailType: "Lambda Function Invocation Result - " + (condition == .success ? "Success" : "Failure"),
                        resources: [destination.arn, qualifiedArn]),
                    fallback: .json(InvocationRecord.withoutPayloads(record))),
                to: destination.deliveryTarget(responseOnly: record["responsePayload"] ?? .null), from: qualifiedArn, id: event.requestId)
            outcome.destinationDelivered = delivered
            if !delivered { counter("DestinationDeliveryFailures").increment() }
        }
        if condition != .success {
            if let deadLetter {
                let message = event.lastError ?? condition.rawValue
                let attributes: [String: Queue.Attribute] = [
                    "RequestID": .string(event.requestId), "ErrorCode": .number(zeroConcurrency ? "429" : "200"),
                    "ErrorMessage": .string(Self.utf8Prefix(message, maxBytes: 1024)),
                ]
                let delivered = await runtime.deliver(
                    Delivery(.json(event.payload), attributes: attributes), to: deadLetter.deliveryTarget, from: qualifiedArn,
                    id: event.requestId)
                outcome.deadLetterDelivered = delivered
                if !delivered { counter("DeadLetterErrors").increment() }
            }
            if destination == nil && deadLetter == nil {
                counter("AsyncEventsDropped").increment()
                let reason = event.lastError.map { "\(condition.rawValue), last error: \($0)" } ?? condition.rawValue
                runtime.record(.dropped, resource: qualifiedArn, id: event.requestId, reason: reason)
                runtime.logger.warning(
                    "async event dropped: \(reason)",
                    metadata: ["function": "\(functionArn)", "requestId": "\(event.requestId)"])
            }
        }
        outcomeHistory.append(outcome)
    }

    /// The longest prefix of `s` within `maxBytes` UTF-8 bytes that ends on a character boundary.
    static func utf8Prefix(_ s: String, maxBytes: Int) -> String {
        if s.utf8.count <= maxBytes { return s }
        var end = s.startIndex
        var used = 0
        for i in s.indices {
            let next = s.index(after: i)
            let width = s.utf8.distance(from: i, to: next)
            if used + width > maxBytes { break }
            used += width
            end = next
        }
        return String(s[..<end])
    }
}

extension Destination {
    /// Where the record goes; a `responseOnly` function gets only the response payload.
    func deliveryTarget(responseOnly response: JSONValue) -> DeliveryTarget {
        switch self {
        case .queue(let q): return .queue(q)
        case .topic(let t): return .topic(t)
        case .bus(let b): return .bus(b)
        case .function(let f, let responseOnly):
            guard responseOnly else { return .function(f) }
            return .handler { _ in try await f.invokeAsynchronously(response) }
        }
    }
}

extension DeadLetterTarget {
    var deliveryTarget: DeliveryTarget {
        switch self {
        case .queue(let q): return .queue(q)
        case .topic(let t): return .topic(t)
        }
    }
}
