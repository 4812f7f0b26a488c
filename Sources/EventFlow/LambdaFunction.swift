import EventPatterns
import Foundation
import Metrics

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
}

/// A Lambda-style function around a Swift handler, with Lambda's asynchronous invocation model.
public actor LambdaFunction<Payload: Codable & Sendable, Response: Codable & Sendable>: AsyncInvocable, BatchInvocable {
    public typealias Handler = @Sendable (Payload, InvocationContext) async throws -> Response

    public nonisolated let name: String
    public nonisolated let functionArn: String
    nonisolated let runtime: EventFlowRuntime
    private let handler: Handler

    /// Concurrent executions allowed; nil means unreserved (the account's 1000).
    public private(set) var reservedConcurrency: Int?
    public private(set) var deadLetter: DeadLetterTarget?
    /// Published version numbers and alias → version.
    private var versions: [String] = []
    private var aliases: [String: String] = [:]
    private var invokeConfigs: [String: EventInvokeConfig] = [:]

    /// Base of the retry delays after function errors: retry n waits n × this (60 s, 120 s).
    public var retryBaseDelay: Duration = .seconds(60)
    /// Largest accepted `Event` payload (256 KB in the older docs, 1 MB today).
    public var maxAsyncPayloadBytes = 262_144
    /// Test hook for at-least-once delivery: every queued event is delivered twice.
    public var duplicateDeliveries = false

    private var running = 0
    public private(set) var outcomes: [AsyncOutcome] = []

    public init(name: String, runtime: EventFlowRuntime, reservedConcurrency: Int? = nil, deadLetter: DeadLetterTarget? = nil, handler: @escaping Handler) {
        self.name = name
        self.functionArn = runtime.arn("lambda", "function:\(name)")
        self.runtime = runtime
        self.handler = handler
        self.reservedConcurrency = reservedConcurrency
        self.deadLetter = deadLetter
    }

    public func setReservedConcurrency(_ n: Int?) { reservedConcurrency = n }
    public func setDeadLetter(_ t: DeadLetterTarget?) { deadLetter = t }
    public func setRetryBaseDelay(_ d: Duration) { retryBaseDelay = d }
    public func setDuplicateDeliveries(_ on: Bool) { duplicateDeliveries = on }

    /// Publishes a version ("1", "2", ...). Its event invoke config starts empty (not copied).
    @discardableResult
    public func publishVersion() -> String {
        versions.append(String(versions.count + 1))
        return versions.last!
    }

    public func createAlias(_ alias: String, version: String) throws(LambdaError) {
        guard version == "$LATEST" || versions.contains(version) else {
            throw .notFound("Function not found: \(functionArn):\(version)")
        }
        aliases[alias] = version
    }

    func resolve(_ qualifier: String) throws(LambdaError) -> (qualifier: String, executedVersion: String) {
        if qualifier == "$LATEST" { return (qualifier, "$LATEST") }
        if versions.contains(qualifier) { return (qualifier, qualifier) }
        if let v = aliases[qualifier] { return (qualifier, v) }
        throw .notFound("Function not found: \(functionArn):\(qualifier)")
    }

    // MARK: invoke

    public func invoke(_ type: InvocationType, _ payload: Payload, qualifier: String = "$LATEST") async throws -> InvokeResult {
        let (qualifier, executed) = try resolve(qualifier)
        let json = try JSONBridge.encode(payload)
        switch type {
        case .dryRun:
            return InvokeResult(statusCode: 204)
        case .requestResponse:
            let requestId = runtime.ids.make()
            counter("Invocations").increment()
            do {
                let response = try await handler(payload, InvocationContext(requestId: requestId, invokedFunctionArn: "\(functionArn):\(qualifier)", attempt: 1))
                return InvokeResult(statusCode: 200, payload: try JSONBridge.encode(response), executedVersion: executed)
            } catch {
                counter("Errors").increment()
                let e = ErrorPayload.make(error)
                return InvokeResult(statusCode: 200, payload: e.payload, functionError: e.functionError, executedVersion: executed)
            }
        case .event:
            try enqueue(json, qualifier: qualifier)
            return InvokeResult(statusCode: 202)
        }
    }

    /// `Event` invocation with a JSON payload (destinations, rule targets, topic subscriptions).
    /// A payload the handler cannot decode fails like a handler error, with retries.
    public nonisolated func invokeAsynchronously(_ payload: JSONValue) async {
        do {
            try await enqueue(payload, qualifier: "$LATEST")
        } catch {
            runtime.logger.error("async invoke of \(functionArn) rejected: \(error)")
        }
    }

    private func enqueue(_ payload: JSONValue, qualifier: String) throws(LambdaError) {
        let size = payload.jsonText.utf8.count
        guard size <= maxAsyncPayloadBytes else { throw .tooLarge(size, limit: maxAsyncPayloadBytes) }
        let event = QueuedEvent(
            requestId: runtime.ids.make(), payload: payload, qualifier: qualifier, enqueuedAt: runtime.clock.now)
        counter("AsyncEventsReceived").increment()
        let deliveries = duplicateDeliveries ? 2 : 1
        for _ in 0..<deliveries {
            runtime.performSoon { await self.attempt(event) }
        }
    }

    /// A synchronous invocation on behalf of an event source mapping: counted against
    /// concurrency (throttled when none is left), never retried here, no destinations.
    public func invokeForMapping(_ payload: JSONValue) async -> MappingInvocation {
        let requestId = runtime.ids.make()
        if concurrencyExhausted {
            counter("Throttles").increment()
            return .throttled(requestId: requestId)
        }
        counter("Invocations").increment()
        let context = InvocationContext(requestId: requestId, invokedFunctionArn: "\(functionArn):$LATEST", attempt: 1)
        switch await run(payload, context) {
        case .success(let response):
            return .response(response, requestId: requestId)
        case .failure(let error):
            counter("Errors").increment()
            let e = ErrorPayload.make(error)
            return .functionError(e.payload, requestId: requestId, message: e.message)
        }
    }

    /// Whether every concurrent execution allowed (reserved, or the account's 1000) is in use.
    private var concurrencyExhausted: Bool { running >= (reservedConcurrency ?? 1000) }

    /// Runs the handler on a JSON payload as one concurrent execution: decodes the payload,
    /// encodes the response; a payload the handler cannot decode fails like a handler error.
    private func run(_ payload: JSONValue, _ context: InvocationContext) async -> Result<JSONValue, any Error> {
        running += 1
        runtime.noteProgress()
        defer {
            running -= 1
            runtime.noteProgress()
        }
        do {
            let decoded = try JSONBridge.decode(Payload.self, from: payload)
            return .success(try JSONBridge.encode(try await handler(decoded, context)))
        } catch {
            return .failure(error)
        }
    }

    // MARK: the asynchronous path

    struct QueuedEvent: Sendable {
        var requestId: String
        var payload: JSONValue
        var qualifier: String
        var enqueuedAt: Duration
        var attempts = 0
        var throttles = 0
        var lastResponse: InvocationRecord.Response?
    }

    private func attempt(_ e: QueuedEvent) async {
        var event = e
        let config = invokeConfigs[event.qualifier] ?? EventInvokeConfig()
        let executed = (try? resolve(event.qualifier).executedVersion) ?? "$LATEST"
        let age = runtime.clock.now - event.enqueuedAt
        eventAgeTimer.recordNanoseconds(
            age.components.seconds * 1_000_000_000)

        if reservedConcurrency == 0 {
            counter("Throttles").increment()
            await finish(event, condition: .zeroReservedConcurrency, config: config)
            return
        }
        if age.ceilSeconds > Int64(config.maximumEventAge) {
            await finish(event, condition: .eventAgeExceeded, config: config)
            return
        }
        if concurrencyExhausted {
            // Throttled: back off 1 s, 2 s, 4 s ... up to 5 minutes; no retry attempt is used.
            counter("Throttles").increment()
            event.throttles += 1
            let delay = Duration.seconds(min(1 << min(event.throttles - 1, 9), 300))
            if (age + delay).ceilSeconds > Int64(config.maximumEventAge) {
                await finish(event, condition: .eventAgeExceeded, config: config)
            } else {
                let next = event
                await runtime.schedule(after: delay) { await self.attempt(next) }
            }
            return
        }

        event.attempts += 1
        counter("Invocations").increment()
        let context = InvocationContext(
            requestId: event.requestId, invokedFunctionArn: "\(functionArn):\(event.qualifier)", attempt: event.attempts)
        switch await run(event.payload, context) {
        case .success(let response):
            event.lastResponse = .init(executedVersion: executed, functionError: nil, payload: response)
            await finish(event, condition: .success, config: config)
        case .failure(let error):
            counter("Errors").increment()
            let e = ErrorPayload.make(error)
            event.lastResponse = .init(executedVersion: executed, functionError: e.functionError, payload: e.payload)
            if event.attempts - 1 >= config.retryAttempts {
                await finish(event, condition: .retriesExhausted, config: config, errorMessage: e.message)
                return
            }
            // Retry n waits n × base; give up now unless that retry comes before the age limit
            // (AWS: maximum age 60 → one attempt; 90 → two).
            let delay = retryBaseDelay * event.attempts
            let ageNow = runtime.clock.now - event.enqueuedAt
            if (ageNow + delay).ceilSeconds >= Int64(config.maximumEventAge) {
                await finish(event, condition: .eventAgeExceeded, config: config, errorMessage: e.message)
                return
            }
            let next = event
            await runtime.schedule(after: delay) { await self.attempt(next) }
        }
    }

    /// Records the outcome and delivers the record to the destination (and, on failure, the
    /// original event to the dead-letter queue).
    private func finish(
        _ event: QueuedEvent, condition: InvocationRecord.Condition, config: EventInvokeConfig, errorMessage: String? = nil
    ) async {
        let zeroConcurrency = condition == .zeroReservedConcurrency
        let record = InvocationRecord.make(
            timestamp: runtime.clock.date(at: runtime.clock.now), requestId: event.requestId,
            functionArn: "\(functionArn):\(event.qualifier)", condition: condition,
            invokeCount: zeroConcurrency ? 0 : event.attempts, requestPayload: event.payload,
            response: zeroConcurrency ? nil : event.lastResponse)
        var outcome = AsyncOutcome(requestId: event.requestId, condition: condition.rawValue, record: record)
        let destination = condition == .success ? config.onSuccess : config.onFailure
        if let destination {
            outcome.destinationDelivered = await deliver(record, to: destination, success: condition == .success, qualifier: event.qualifier)
            if outcome.destinationDelivered == false { counter("DestinationDeliveryFailures").increment() }
        }
        if condition != .success {
            if let deadLetter {
                outcome.deadLetterDelivered = await sendToDeadLetter(
                    event, target: deadLetter, errorCode: zeroConcurrency ? "429" : "200",
                    message: errorMessage ?? condition.rawValue)
                if outcome.deadLetterDelivered == false { counter("DeadLetterErrors").increment() }
            }
            if destination == nil && deadLetter == nil {
                counter("AsyncEventsDropped").increment()
                runtime.logger.warning("async event \(event.requestId) for \(functionArn) dropped: \(condition.rawValue)")
            }
        }
        outcomes.append(outcome)
    }

    private func deliver(_ record: JSONValue, to destination: Destination, success: Bool, qualifier: String) async -> Bool {
        switch destination {
        case .queue(let q):
            do {
                try await q.send(record.jsonText)
            } catch {
                do { try await q.send(InvocationRecord.withoutPayloads(record).jsonText) } catch { return false }
            }
            return true
        case .topic(let t):
            await t.publish(record.jsonText)
            return true
        case .function(let f, let responseOnly):
            if f.functionArn == functionArn { return false }
            await f.invokeAsynchronously(responseOnly ? (record["responsePayload"] ?? .null) : record)
            return true
        case .bus(let bus):
            let entry = PutEventsEntry(
                source: "lambda",
                detailType: "Lambda Function Invocation Result - " + (success ? "Success" : "Failure"),
                detail: record.jsonText, resources: [bus.arn, "\(functionArn):\(qualifier)"])
            let result = try? await bus.putEvents([entry])
            if result?.failedEntryCount == 0 { return true }
            let stripped = PutEventsEntry(
                source: entry.source, detailType: entry.detailType, detail: InvocationRecord.withoutPayloads(record).jsonText,
                resources: entry.resources)
            return (try? await bus.putEvents([stripped]))?.failedEntryCount == 0
        }
    }

    private func sendToDeadLetter(_ event: QueuedEvent, target: DeadLetterTarget, errorCode: String, message: String) async -> Bool {
        let attributes: [String: Queue.Attribute] = [
            "RequestID": .string(event.requestId), "ErrorCode": .number(errorCode),
            "ErrorMessage": .string(String(decoding: Array(message.utf8.prefix(1024)), as: UTF8.self)),
        ]
        switch target {
        case .queue(let q):
            do { try await q.send(event.payload.jsonText, attributes: attributes) } catch { return false }
        case .topic(let t):
            await t.publish(event.payload.jsonText, attributes: attributes)
        }
        return true
    }

    /// Made once per metric: creating a counter asks the metrics factory for a handler.
    private var counters: [String: Counter] = [:]
    private lazy var eventAgeTimer = Timer(label: "AsyncEventAge", dimensions: [("FunctionName", name)], factory: runtime.metrics)

    private func counter(_ metric: String) -> Counter {
        if let c = counters[metric] { return c }
        let c = Counter(label: metric, dimensions: [("FunctionName", name)], factory: runtime.metrics)
        counters[metric] = c
        return c
    }

    // MARK: event invoke config API

    func validate(_ config: EventInvokeConfig, qualifier: String) throws(LambdaError) {
        if config.maximumRetryAttempts == nil && config.maximumEventAgeInSeconds == nil && config.onSuccess == nil
            && config.onFailure == nil
        {
            throw .invalidParameter("You must specify at least one of error handling or destination setting.")
        }
        if let r = config.maximumRetryAttempts {
            if r > 2 { throw .validation(String(r), "maximumRetryAttempts", "Member must have value less than or equal to 2") }
            if r < 0 { throw .validation(String(r), "maximumRetryAttempts", "Member must have value greater than or equal to 0") }
        }
        if let a = config.maximumEventAgeInSeconds {
            if a > 21_600 {
                throw .validation(String(a), "maximumEventAgeInSeconds", "Member must have value less than or equal to 21600")
            }
            if a < 60 { throw .validation(String(a), "maximumEventAgeInSeconds", "Member must have value greater than or equal to 60") }
        }
        for d in [config.onSuccess, config.onFailure].compactMap({ $0 }) {
            if case .function(let f, _) = d, f.functionArn == functionArn {
                throw .invalidParameter("You can't specify the function as a destination for itself.")
            }
        }
        _ = try resolve(qualifier)
    }

    /// Replaces the whole configuration of `qualifier` (omitted settings return to defaults).
    public func putEventInvokeConfig(_ config: EventInvokeConfig, qualifier: String = "$LATEST") throws(LambdaError) {
        try validate(config, qualifier: qualifier)
        invokeConfigs[qualifier] = config
    }

    /// Merges the given top-level settings into the existing configuration; fails when none exists.
    public func updateEventInvokeConfig(
        maximumRetryAttempts: Int? = nil, maximumEventAgeInSeconds: Int? = nil, onSuccess: Destination? = nil,
        onFailure: Destination? = nil, qualifier: String = "$LATEST"
    ) throws(LambdaError) {
        guard var config = invokeConfigs[qualifier] else {
            throw .notFound("The function \(functionArn):\(qualifier) doesn't have an EventInvokeConfig")
        }
        if let v = maximumRetryAttempts { config.maximumRetryAttempts = v }
        if let v = maximumEventAgeInSeconds { config.maximumEventAgeInSeconds = v }
        if let v = onSuccess { config.onSuccess = v }
        if let v = onFailure { config.onFailure = v }
        try validate(config, qualifier: qualifier)
        invokeConfigs[qualifier] = config
    }

    public func getEventInvokeConfig(qualifier: String = "$LATEST") throws(LambdaError) -> EventInvokeConfig {
        guard let c = invokeConfigs[qualifier] else {
            throw .notFound("The function \(functionArn):\(qualifier) doesn't have an EventInvokeConfig")
        }
        return c
    }

    public func deleteEventInvokeConfig(qualifier: String = "$LATEST") throws(LambdaError) {
        guard invokeConfigs.removeValue(forKey: qualifier) != nil else {
            throw .notFound("The function \(functionArn):\(qualifier) doesn't have an EventInvokeConfig")
        }
    }

    public func listEventInvokeConfigs() -> [(qualifier: String, config: EventInvokeConfig)] {
        invokeConfigs.keys.sorted().map { ($0, invokeConfigs[$0]!) }
    }

    /// The configuration as GetFunctionEventInvokeConfig returns it, in AWS's shape.
    public func eventInvokeConfigJSON(qualifier: String = "$LATEST") throws(LambdaError) -> JSONValue {
        let c = try getEventInvokeConfig(qualifier: qualifier)
        func dest(_ d: Destination?) -> JSONValue { d.map { ["Destination": .string($0.arn)] } ?? .object([]) }
        var members: [JSONMember] = [JSONMember("FunctionArn", .string("\(functionArn):\(qualifier)"))]
        if let r = c.maximumRetryAttempts { members.append(JSONMember("MaximumRetryAttempts", .number(JSONNumber(r)))) }
        if let a = c.maximumEventAgeInSeconds { members.append(JSONMember("MaximumEventAgeInSeconds", .number(JSONNumber(a)))) }
        members.append(JSONMember("DestinationConfig", ["OnSuccess": dest(c.onSuccess), "OnFailure": dest(c.onFailure)]))
        return .object(members)
    }
}

/// How one accepted asynchronous invocation ended: exactly one per accepted event (per
/// delivery, when duplicate deliveries are injected).
public struct AsyncOutcome: Sendable {
    public var requestId: String
    /// "Success", "RetriesExhausted", "EventAgeExceeded" or "ZeroReservedConcurrency".
    public var condition: String
    /// The invocation record, exactly as destinations receive it.
    public var record: JSONValue
    /// Whether the destination (if any) accepted the record.
    public var destinationDelivered: Bool?
    /// Whether the dead-letter queue (if any) accepted the event.
    public var deadLetterDelivered: Bool?
}
