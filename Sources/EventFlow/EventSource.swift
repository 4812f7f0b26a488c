import EventPatterns

/// A typed stream of events from a bus, in the style of Functionless: refine it with `when`,
/// transform it with `map`, and send it somewhere with `pipe`. The pattern parts become an
/// EventBridge rule on the bus (created by `pipe`); closure filters and transforms run on the
/// events that rule delivers.
public struct EventSource<Element: Sendable>: Sendable {
    let bus: EventBus
    let ruleName: String
    /// The rule's pattern so far.
    let pattern: JSONValue
    /// Decodes, filters and transforms one delivered event; nil drops it.
    let stage: @Sendable (JSONValue) async -> Element?

    init(bus: EventBus, ruleName: String, pattern: JSONValue, stage: @escaping @Sendable (JSONValue) async -> Element?) {
        self.bus = bus
        self.ruleName = ruleName
        self.pattern = pattern
        self.stage = stage
    }

    /// Narrows the rule with more pattern (merged into the rule's pattern, so EventBridge
    /// filters before anything is delivered), e.g.
    /// `.when(["detail": ["requestContext": ["condition": ["RetriesExhausted"]]]])`.
    public func when(_ more: JSONValue) throws(PatternError) -> EventSource<Element> {
        let merged = EventSource.merge(pattern, more)
        _ = try EventPattern(json: merged)
        return EventSource(bus: bus, ruleName: ruleName, pattern: merged, stage: stage)
    }

    /// Narrows with a predicate that patterns cannot express (run after delivery).
    public func when(_ predicate: @escaping @Sendable (Element) -> Bool) -> EventSource<Element> {
        let previous = stage
        return EventSource(bus: bus, ruleName: ruleName, pattern: pattern) { json in
            guard let e = await previous(json), predicate(e) else { return nil }
            return e
        }
    }

    /// Transforms each event.
    public func map<T: Sendable>(_ transform: @escaping @Sendable (Element) -> T) -> EventSource<T> {
        let previous = stage
        return EventSource<T>(bus: bus, ruleName: ruleName, pattern: pattern) { json in
            await previous(json).map(transform)
        }
    }

    /// Creates the rule, delivering each element to `handler`.
    public func pipe(_ handler: @escaping @Sendable (Element) async -> Void) async throws {
        let stage = self.stage
        try await bus.putRule(
            ruleName, pattern: try EventPattern(json: pattern),
            targets: [Target(id: "\(ruleName)-target", .handler { json in if let e = await stage(json) { await handler(e) } })])
    }

    /// Invokes `function` asynchronously with each element; returns it to continue the chain
    /// (`.pipe(next).onSuccess(bus, "id")`).
    @discardableResult
    public func pipe<P, R>(_ function: LambdaFunction<P, R>) async throws -> LambdaFunction<P, R> where Element: Encodable {
        try await pipe { element in
            if let json = try? JSONBridge.encode(element) { await function.invokeAsynchronously(json) }
        }
        return function
    }

    /// Sends each element to `queue` as JSON text.
    @discardableResult
    public func pipe(_ queue: Queue) async throws -> Queue where Element: Encodable {
        try await pipe { element in
            if let json = try? JSONBridge.encode(element) { _ = try? await queue.send(json.jsonText) }
        }
        return queue
    }

    /// Forwards the events, unchanged, to another bus. A mapped source cannot do this
    /// (EventBridge bus targets take no input transformation).
    @discardableResult
    public func pipe(_ other: EventBus) async throws -> EventBus {
        try await bus.putRule(ruleName, pattern: try EventPattern(json: pattern), targets: [Target(id: "\(ruleName)-target", .bus(other))])
        return other
    }

    /// Deep-merges two patterns: objects merge, anything else is replaced by `b`.
    static func merge(_ a: JSONValue, _ b: JSONValue) -> JSONValue {
        guard case .object(var left) = a, case .object(let right) = b else { return b }
        for m in right {
            if let i = left.firstIndex(where: { $0.key == m.key }) {
                left[i].value = merge(left[i].value, m.value)
            } else {
                left.append(m)
            }
        }
        return .object(left)
    }
}

/// The setup errors of typed sources.
public struct SourceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}

extension LambdaFunction {
    /// Successful asynchronous invocations of this function, as events on `bus`. The bus must be
    /// the function's on-success destination (for `$LATEST`); otherwise no event would ever come,
    /// so this fails at once. The rule matches any qualifier of this function (not its
    /// unqualified ARN, which AWS never sends).
    public func onSuccess(_ bus: EventBus, _ id: String) throws -> EventSource<Event<SuccessRecord<Payload, Response>>> {
        try checkDestination(bus, success: true)
        return EventSource(bus: bus, ruleName: id, pattern: resultPattern(success: true)) { json in
            try? JSONBridge.decode(Event<SuccessRecord<Payload, Response>>.self, from: json)
        }
    }

    /// Failed asynchronous invocations of this function, as events on `bus` (its on-failure destination).
    public func onFailure(_ bus: EventBus, _ id: String) throws -> EventSource<Event<FailureRecord<Payload>>> {
        try checkDestination(bus, success: false)
        return EventSource(bus: bus, ruleName: id, pattern: resultPattern(success: false)) { json in
            try? JSONBridge.decode(Event<FailureRecord<Payload>>.self, from: json)
        }
    }

    private func checkDestination(_ bus: EventBus, success: Bool) throws {
        let config = try? getEventInvokeConfig()
        let destination = success ? config?.onSuccess : config?.onFailure
        guard case .bus(let b) = destination, b === bus else {
            let which = success ? "on-success" : "on-failure"
            throw SourceError(
                message: "\(bus.arn) is not the \(which) destination of \(functionArn); set it with putEventInvokeConfig(EventInvokeConfig(\(success ? "onSuccess" : "onFailure"): .bus(bus))) first, or no event will ever reach this rule")
        }
    }

    private nonisolated func resultPattern(success: Bool) -> JSONValue {
        [
            "source": ["lambda"],
            "detail-type": .array([.string("Lambda Function Invocation Result - " + (success ? "Success" : "Failure"))]),
            "resources": .array([["prefix": .string(functionArn + ":")]]),
        ]
    }
}
