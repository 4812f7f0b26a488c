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
    /// Accepts an `Event` invocation into the function's queue (and, on durable storage, into
    /// the store first: an invocation the store refuses is not accepted).
    func enqueue(_ payload: JSONValue, qualifier: String) async throws(AWSError) {
        let event = QueuedEvent(
            requestId: runtime.ids.make(), payload: payload, qualifier: qualifier, enqueuedAt: runtime.clock.now)
        if invocationStore.isDurable {
            // Noted before the store's commit, during which the stored work may resume: resuming
            // then must not queue this invocation a second time.
            let beforeResume = !storeResumed
            if beforeResume { acceptedBeforeResume.insert(event.requestId) }
            do { try await invocationStore.insert(stored(event, dueAt: runtime.clock.now)) } catch {
                if beforeResume { acceptedBeforeResume.remove(event.requestId) }
                throw AWSError(.internalFailure, "could not accept an invocation of \(functionArn): \(error)")
            }
        }
        counter("AsyncEventsReceived").increment()
        runtime.record(.accepted, resource: qualifiedArn(qualifier), id: event.requestId)
        for _ in 0..<(duplicateDeliveries ? 2 : 1) { queue(event) }
    }

    /// Puts an event at the back of the queue (new, or due for a retry) and starts what can start.
    func queue(_ event: QueuedEvent) {
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
        // Stopping: queued events wait (stored, on durable storage) for the next start.
        guard runtime.isAccepting else { return }
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
            startAttempt(next)
        }
    }

    /// Starts an attempt as a task of its own. On the real clock the task starts on this actor
    /// (it inherits the isolation: no trip through the global executor and back); serially it
    /// waits its turn in the runtime's ready queue.
    private func startAttempt(_ event: QueuedEvent) {
        guard !runtime.serial else {
            runtime.performSoon { await self.attempt(event) }
            return
        }
        let runtime = self.runtime
        runtime.actionStarting()
        Task {
            await self.attempt(event)
            runtime.finishAction()
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
        if invocationStore.isDurable {
            // Not awaited: the handler need not wait for the note's commit (see noteStarted).
            let runtime = self.runtime, arn = functionArn, requestId = event.requestId
            invocationStore.noteStarted(requestId: requestId, attempt: event.attempts) { error in
                runtime.record(.storageFailed, resource: arn, id: requestId, reason: "could not note the start of an attempt of \(arn): \(error)")
                runtime.logger.error(
                    "could not note the start of an attempt of an invocation: \(error)", metadata: ["function": "\(arn)", "requestId": "\(requestId)"])
            }
        }
        counter("Invocations").increment()
        let context = InvocationContext(
            requestId: event.requestId, invokedFunctionArn: qualifiedArn(event.qualifier), attempt: event.attempts,
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
                if invocationStore.isDurable {
                    let saved = stored(next, dueAt: runtime.clock.now + delay)
                    await storing("save the retry of") { try await invocationStore.update(saved) }
                }
                await runtime.schedule(after: delay) { await self.requeue(next) }
            }
        }
    }

    func requeue(_ event: QueuedEvent) { queue(event) }

    /// Records the outcome and delivers the record to the destination (and, on failure, the
    /// original event to the dead-letter queue). An outcome with nowhere to go is a counted,
    /// logged drop that names the last error.
    func finish(_ event: QueuedEvent, condition: InvocationRecord.Condition, config: EventInvokeConfig) async {
        let zeroConcurrency = condition == .zeroReservedConcurrency
        let qualifiedArn = self.qualifiedArn(event.qualifier)
        let record = InvocationRecord.make(
            timestamp: runtime.clock.date(at: runtime.clock.now), requestId: event.requestId, functionArn: qualifiedArn,
            condition: condition, invokeCount: zeroConcurrency ? 0 : event.attempts, requestPayload: event.payload,
            response: zeroConcurrency ? nil : event.lastResponse)
        var outcome = AsyncOutcome(requestId: event.requestId, condition: condition.rawValue, record: record)
        runtime.record(.outcome, resource: qualifiedArn, id: event.requestId, result: condition.rawValue, reason: event.lastError)
        let destination = condition == .success ? config.onSuccess : config.onFailure
        // Records for queues go into one transaction with the end of the invocation (an outbox);
        // anything else is delivered first, then the invocation ends (at least once).
        var outbox = Outbox()
        if let destination {
            if case .queue(let q) = destination {
                // The record without payloads only if the queue refuses the whole one.
                outcome.destinationDelivered = outbox.add(
                    record.jsonText, fallback: InvocationRecord.withoutPayloads(record).jsonText, to: q, from: qualifiedArn,
                    id: event.requestId, runtime: runtime)
            } else {
                let fallback = InvocationRecord.withoutPayloads(record)
                outcome.destinationDelivered = await runtime.deliver(
                    Delivery(
                        .json(record),
                        busEntry: .init(
                            source: "lambda",
                            detailType: "Lambda Function Invocation Result - " + (condition == .success ? "Success" : "Failure"),
                            resources: [destination.arn, qualifiedArn]),
                        fallback: .json(fallback)),
                    to: destination.deliveryTarget(responseOnly: record["responsePayload"] ?? .null), from: qualifiedArn,
                    id: event.requestId)
            }
            if outcome.destinationDelivered == false { counter("DestinationDeliveryFailures").increment() }
        }
        if condition != .success {
            if let deadLetter {
                let message = event.lastError ?? condition.rawValue
                let attributes: [String: Queue.Attribute] = [
                    "RequestID": .string(event.requestId), "ErrorCode": .number(zeroConcurrency ? "429" : "200"),
                    "ErrorMessage": .string(Self.utf8Prefix(message, maxBytes: 1024)),
                ]
                if case .queue(let q) = deadLetter {
                    outcome.deadLetterDelivered = outbox.add(
                        event.payload.jsonText, attributes: attributes, to: q, from: qualifiedArn, id: event.requestId, runtime: runtime)
                } else {
                    outcome.deadLetterDelivered = await runtime.deliver(
                        Delivery(.json(event.payload), attributes: attributes), to: deadLetter.deliveryTarget, from: qualifiedArn,
                        id: event.requestId)
                }
                if outcome.deadLetterDelivered == false { counter("DeadLetterErrors").increment() }
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
        do {
            try await invocationStore.complete(requestId: event.requestId, outbox: outbox.messages)
            await outbox.announce(from: qualifiedArn, id: event.requestId, runtime: runtime)
        } catch {
            runtime.record(.storageFailed, resource: qualifiedArn, id: event.requestId, reason: "could not record the outcome: \(error)")
            runtime.logger.error(
                "could not record the outcome of an invocation: \(error)",
                metadata: ["function": "\(functionArn)", "requestId": "\(event.requestId)"])
        }
        outcomeHistory.append(outcome)
    }

    /// The stored form of a queued event, due at `dueAt` on the runtime's clock.
    func stored(_ e: QueuedEvent, dueAt: Duration) -> StoredInvocation {
        StoredInvocation(
            requestId: e.requestId, function: name, qualifier: e.qualifier, payload: e.payload.jsonText,
            enqueuedAt: runtime.clock.date(at: e.enqueuedAt), attempts: e.attempts, startedAttempts: e.attempts,
            dueAt: runtime.clock.date(at: dueAt), lastResponse: e.lastResponse?.payload.jsonText,
            executedVersion: e.lastResponse?.executedVersion, functionError: e.lastResponse?.functionError, lastError: e.lastError)
    }

    /// Runs a store change whose failure cannot fail the caller: logged and recorded.
    func storing(_ action: String, _ change: () async throws -> Void) async {
        do { try await change() } catch {
            runtime.record(.storageFailed, resource: functionArn, id: "", reason: "could not \(action) \(functionArn): \(error)")
            runtime.logger.error("could not \(action) an invocation: \(error)", metadata: ["function": "\(functionArn)"])
        }
    }

    /// Resumes the invocations a previous process accepted and did not end: due ones join the
    /// queue now, retries wait for their instant. An attempt that was running when that process
    /// ended runs again with the same request id (counted in `AsyncAttemptsRepeated`).
    public func resumeFromStore() async {
        guard invocationStore.isDurable, !storeResumed else { return }
        storeResumed = true
        let pending: [StoredInvocation]
        do { pending = try invocationStore.pending(function: name) } catch {
            await storing("resume the stored invocations of") { throw error }
            return
        }
        let acceptedHere = acceptedBeforeResume
        acceptedBeforeResume = []
        for s in pending where !acceptedHere.contains(s.requestId) {
            guard let payload = try? JSONParser.parse(s.payload) else {
                runtime.record(.storageFailed, resource: functionArn, id: s.requestId, reason: "stored payload is not JSON")
                continue
            }
            var event = QueuedEvent(
                requestId: s.requestId, payload: payload, qualifier: s.qualifier, enqueuedAt: runtime.clock.offset(of: s.enqueuedAt),
                attempts: s.attempts, lastResponse: nil, lastError: s.lastError)
            if let text = s.lastResponse, let response = try? JSONParser.parse(text) {
                event.lastResponse = .init(executedVersion: s.executedVersion ?? "$LATEST", functionError: s.functionError, payload: response)
            }
            if s.startedAttempts > s.attempts {
                counter("AsyncAttemptsRepeated").increment()
                runtime.logger.info(
                    "resuming an invocation whose attempt \(s.startedAttempts) was interrupted; its handler runs again",
                    metadata: ["function": "\(functionArn)", "requestId": "\(s.requestId)"])
            }
            runtime.record(.accepted, resource: qualifiedArn(s.qualifier), id: s.requestId, reason: "resumed from storage")
            let wait = runtime.clock.offset(of: s.dueAt) - runtime.clock.now
            if wait <= .zero {
                queue(event)
            } else {
                let next = event
                await runtime.schedule(after: wait) { await self.requeue(next) }
            }
        }
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
