import EventPatterns
import Synchronization

/// Who created a rule through a typed source: the source's identity and its pattern. A second
/// `pipe` of the same source adds a target; anything else with the same id is refused.
struct SourceOwner: Sendable, Equatable {
    var token: Int
    var pattern: JSONValue

    private static let counter = Atomic<Int>(0)
    static func newToken() -> Int { counter.add(1, ordering: .relaxed).newValue }
}

/// A typed stream of events from a bus, in the style of Functionless: refine it with `when`,
/// transform it with `map`, and send it somewhere with `pipe`. The pattern parts become an
/// EventBridge rule on the bus (created by the first `pipe`; each further `pipe` adds a target,
/// up to EventBridge's five); closure filters and transforms run on the events that rule
/// delivers, on every kind of target. An event that cannot be decoded into the source's type is
/// recorded in the activity log (`decodeFailed`), logged and counted, never dropped silently.
public struct EventSource<Element: Sendable>: Sendable {
    let bus: EventBus
    let ruleName: String
    let token: Int
    /// The rule's pattern so far.
    let pattern: JSONValue
    /// Whether `map` changed the elements (a bus target can then not forward them).
    let mapped: Bool
    /// Decodes, filters and transforms one delivered event; nil when a predicate drops it.
    let stage: @Sendable (JSONValue) async throws -> Element?

    init(
        bus: EventBus, ruleName: String, token: Int = SourceOwner.newToken(), pattern: JSONValue, mapped: Bool = false,
        stage: @escaping @Sendable (JSONValue) async throws -> Element?
    ) {
        self.bus = bus
        self.ruleName = ruleName
        self.token = token
        self.pattern = pattern
        self.mapped = mapped
        self.stage = stage
    }

    /// Narrows the rule with more pattern (merged into the rule's pattern, so EventBridge
    /// filters before anything is delivered), e.g.
    /// `.when(["detail": ["requestContext": ["condition": ["RetriesExhausted"]]]])`.
    public func when(_ more: JSONValue) throws(PatternError) -> EventSource<Element> {
        let merged = EventSource.merge(pattern, more)
        _ = try EventPattern(json: merged)
        return EventSource(bus: bus, ruleName: ruleName, token: token, pattern: merged, mapped: mapped, stage: stage)
    }

    /// Narrows with a predicate that patterns cannot express (run after delivery).
    public func when(_ predicate: @escaping @Sendable (Element) -> Bool) -> EventSource<Element> {
        let previous = stage
        return EventSource(bus: bus, ruleName: ruleName, token: token, pattern: pattern, mapped: mapped) { json in
            guard let e = try await previous(json), predicate(e) else { return nil }
            return e
        }
    }

    /// Transforms each event.
    public func map<T: Sendable>(_ transform: @escaping @Sendable (Element) -> T) -> EventSource<T> {
        let previous = stage
        return EventSource<T>(bus: bus, ruleName: ruleName, token: token, pattern: pattern, mapped: true) { json in
            try await previous(json).map(transform)
        }
    }

    private var owner: SourceOwner { SourceOwner(token: token, pattern: pattern) }

    private func addTarget(_ kind: Target.Kind, _ props: TargetProps) async throws {
        try await bus.pipeSource(ruleName, owner: owner, pattern: try EventPattern(json: pattern), target: try props.target(kind))
    }

    /// Adds a target delivering each element to `handler`. Every `pipe` takes `props`: the
    /// target's retries and dead-letter queue (a handler that throws is retried; a queue, topic
    /// or function that refuses is retried when the refusal may pass, see `Target.RetryPolicy`).
    public func pipe(props: TargetProps = TargetProps(), _ handler: @escaping @Sendable (Element) async throws -> Void) async throws {
        let stage = self.stage
        try await addTarget(.handler { json in if let e = try await stage(json) { try await handler(e) } }, props)
    }

    /// Invokes `function` asynchronously with each element (the element type is the function's
    /// payload type); returns it to continue the chain (`.pipe(next).onSuccess(bus, "id")`).
    @discardableResult
    public func pipe<R>(
        _ function: LambdaFunction<Element, R>, props: TargetProps = TargetProps()
    ) async throws -> LambdaFunction<Element, R> where Element: Codable {
        let stage = self.stage
        try await addTarget(.handler { json in
            guard let e = try await stage(json) else { return }
            try await function.invokeAsynchronously(try Self.encode(e))
        }, props)
        return function
    }

    /// Sends each element to `queue` as JSON text.
    @discardableResult
    public func pipe(_ queue: Queue, props: TargetProps = TargetProps()) async throws -> Queue where Element: Encodable {
        let stage = self.stage
        try await addTarget(.handler { json in
            guard let e = try await stage(json) else { return }
            try await queue.send(Self.encode(e).jsonText)
        }, props)
        return queue
    }

    /// Publishes each element to `topic` as JSON text.
    @discardableResult
    public func pipe(_ topic: Topic, props: TargetProps = TargetProps()) async throws -> Topic where Element: Encodable {
        let stage = self.stage
        try await addTarget(.handler { json in
            guard let e = try await stage(json) else { return }
            await topic.publish(try Self.encode(e).jsonText)
        }, props)
        return topic
    }

    /// Forwards the events, unchanged, to another bus; `when` predicates apply. A mapped source
    /// cannot do this (EventBridge bus targets take no input transformation): that is an error
    /// here, at set-up.
    @discardableResult
    public func pipe(_ other: EventBus, props: TargetProps = TargetProps()) async throws -> EventBus {
        guard !mapped else {
            throw SourceError(
                message: "source \"\(ruleName)\" is mapped and cannot be piped to \(other.arn): a bus target forwards events unchanged; pipe the mapped values to a function, queue, topic or closure, or pipe to the bus before map")
        }
        let stage = self.stage
        try await addTarget(.handler { json in
            guard try await stage(json) != nil else { return }
            if other !== self.bus { try await other.acceptForwarded(json) }
        }, props)
        return other
    }

    private static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        do { return try JSONBridge.encode(value) } catch {
            throw DecodingFailure(type: String(describing: T.self), reason: "could not be encoded: \(error)")
        }
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

    /// Decodes a delivered event as `T`, or throws the `DecodingFailure` the delivery records.
    static func decode<T: Decodable>(_ type: T.Type, _ json: JSONValue) throws -> T {
        do { return try JSONBridge.decode(T.self, from: json) } catch {
            throw DecodingFailure(type: String(describing: T.self), reason: String(describing: error))
        }
    }
}

/// The setup errors of typed sources.
public struct SourceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}

extension EventBus {
    /// Events on this bus that match `pattern`, decoded as `Event<Detail>`; `id` names the rule.
    public nonisolated func when<Detail: Codable & Sendable>(
        _ id: String, _ pattern: JSONValue, detail: Detail.Type = Detail.self
    ) throws(PatternError) -> EventSource<Event<Detail>> {
        _ = try EventPattern(json: pattern)
        return EventSource(bus: self, ruleName: id, pattern: pattern) { json in
            try EventSource<Event<Detail>>.decode(Event<Detail>.self, json)
        }
    }

    /// Every event on this bus (the rule matches any `source` of this account's events).
    public nonisolated func all<Detail: Codable & Sendable>(_ id: String, detail: Detail.Type = Detail.self) -> EventSource<Event<Detail>> {
        EventSource(bus: self, ruleName: id, pattern: ["account": [.string(runtime.account)]]) { json in
            try EventSource<Event<Detail>>.decode(Event<Detail>.self, json)
        }
    }
}

extension LambdaFunction {
    /// Successful asynchronous invocations of this function, as events on `bus`. The bus must be
    /// an on-success destination of the function (for any qualifier); otherwise no event would
    /// ever come, so this fails at once. The rule matches any qualifier of this function (not its
    /// unqualified ARN, which AWS never sends).
    public func onSuccess(_ bus: EventBus, _ id: String) throws -> EventSource<Event<SuccessRecord<Payload, Response>>> {
        try checkDestination(bus, success: true)
        return EventSource(bus: bus, ruleName: id, pattern: resultPattern(success: true)) { json in
            try EventSource<Event<SuccessRecord<Payload, Response>>>.decode(Event<SuccessRecord<Payload, Response>>.self, json)
        }
    }

    /// Failed asynchronous invocations of this function, as events on `bus` (an on-failure destination).
    public func onFailure(_ bus: EventBus, _ id: String) throws -> EventSource<Event<FailureRecord<Payload>>> {
        try checkDestination(bus, success: false)
        return EventSource(bus: bus, ruleName: id, pattern: resultPattern(success: false)) { json in
            try EventSource<Event<FailureRecord<Payload>>>.decode(Event<FailureRecord<Payload>>.self, json)
        }
    }

    /// The bus must be the destination of some qualifier's event invoke config, compared by ARN.
    private func checkDestination(_ bus: EventBus, success: Bool) throws {
        let found = listEventInvokeConfigs().contains { entry in
            let destination = success ? entry.config.onSuccess : entry.config.onFailure
            return destination?.arn == bus.arn
        }
        guard found else {
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
