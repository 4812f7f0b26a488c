import EventFlow
import EventFlowSQLite
import EventFlowTesting
import Foundation
import MetricsTestKit
import Testing

@Suite("Rule targets: retry policies and dead-letter queues as EventBridge has them")
struct TargetRetryTests {
    static let entry = PutEventsEntry(source: "shop", detailType: "order", detail: #"{"n":1}"#)
    static let pattern = #"{"source":["shop"]}"#
    static let ruleArn = "arn:aws:events:us-east-1:123456789012:rule/orders/all"
    static let eventId = "00000000-0000-4000-8000-000000000001"

    /// A bus "orders" whose rule "all" sends to a target "f" that is always throttled, with a
    /// dead-letter queue "dlq", after one event was put.
    static func throttled(
        _ h: Harness, _ policy: Target.RetryPolicy, input: TargetInput = .event
    ) async throws -> (bus: EventBus, flaky: FlakyTarget, dlq: Queue) {
        let dlq = try Queue(name: "dlq", runtime: h.runtime)
        let flaky = FlakyTarget("flaky", runtime: h.runtime)
        let bus = try EventBus(name: "orders", runtime: h.runtime)
        try await bus.putRule(
            "all", pattern: Self.pattern,
            targets: [Target(id: "f", .function(flaky), input: input, retryPolicy: policy, deadLetterConfig: .init(dlq))])
        _ = try await bus.putEvents([Self.entry])
        return (bus, flaky, dlq)
    }

    @Test("PutTargets' RetryPolicy limits, with AWS's validation texts naming the member; nothing is changed")
    func validation() async throws {
        let h = Harness()
        let q = try Queue(name: "q", runtime: h.runtime)
        let bus = try EventBus(name: "orders", runtime: h.runtime)
        func policy(_ retries: Int, _ age: Int) -> Target { Target(id: "t", .queue(q), retryPolicy: .init(maximumRetryAttempts: retries, maximumEventAgeInSeconds: age)) }
        await #expect(throws: AWSError(.validation, "1 validation error detected: Value '186' at 'targets.1.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185")) {
            try await bus.putRule("all", pattern: Self.pattern, targets: [policy(186, 60)])
        }
        await #expect(throws: AWSError(.validation, "1 validation error detected: Value '-1' at 'targets.1.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value greater than or equal to 0")) {
            try await bus.putRule("all", pattern: Self.pattern, targets: [policy(-1, 60)])
        }
        #expect(await bus.rule("all") == nil)
        try await bus.putRule("all", pattern: Self.pattern, targets: [policy(0, 60), policy(185, 86_400)].enumerated().map { var t = $1; t.id = "t\($0)"; return t })
        await #expect(throws: AWSError(.validation, "1 validation error detected: Value '59' at 'targets.2.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60")) {
            try await bus.putTargets(rule: "all", [Target(id: "a", .queue(q)), Target(id: "b", .queue(q), retryPolicy: .init(maximumEventAgeInSeconds: 59))])
        }
        await #expect(throws: AWSError(.validation, "1 validation error detected: Value '86401' at 'targets.1.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 86400")) {
            try await bus.putTargets(rule: "all", [Target(id: "a", .queue(q), retryPolicy: .init(maximumEventAgeInSeconds: 86_401))])
        }
        #expect(await bus.rule("all")?.targets.map(\.id) == ["t0", "t1"])
        let other = try Queue(name: "dlq", runtime: EventFlowRuntime.testing())
        await #expect(throws: AWSError(.validation, "The dead-letter queue arn:aws:sqs:us-east-1:123456789012:dlq of target a belongs to another EventFlowRuntime; use a queue of this one.")) {
            try await bus.putTargets(rule: "all", [Target(id: "a", .queue(q), deadLetterConfig: .init(other))])
        }
        #expect(Target(id: "x", .queue(q)).retryPolicy == Target.RetryPolicy(maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400))
    }

    @Test("a throttled target is retried with exponential back-off and jitter, then its event goes to the DLQ with EventBridge's attributes", arguments: StoreKind.allCases)
    func retriesThenDeadLetter(store: StoreKind) async throws {
        let metrics = TestMetrics()
        let h = try Harness(store: store, metrics: metrics)
        let (bus, flaky, dlq) = try await Self.throttled(h, .init(maximumRetryAttempts: 4), input: .path("$.detail"))
        await h.settle()
        #expect(flaky.calls == [0])
        let stored = try h.runtime.storage.busEvents.pendingDeliveries(bus: "orders")
        #expect(stored.map { "\($0.key) attempts=\($0.attempts) due=\(h.runtime.clock.offset(of: $0.dueAt).milliseconds)" } == [
            "orders/all/f/\(Self.eventId) attempts=1 due=\(Self.delays[0])"
        ])
        #expect(stored.first?.input == ["n": 1])
        await h.advance(by: .seconds(3600))
        // Retry n waits between half and all of 2^(n-1) s.
        #expect(flaky.calls == Self.instants)
        for (n, delay) in Self.delays.enumerated() {
            let ceiling = Int64(1000) << n
            #expect(delay >= ceiling / 2 && delay <= ceiling, "retry \(n + 1) waited \(delay) ms")
        }
        let dead = await dlq.messages
        #expect(dead.map(\.body) == [try #require(await bus.accepted.first).jsonText], "the original event, before InputPath")
        #expect(dead.first?.attributeLines == [
            "ERROR_CODE=THROTTLING", "ERROR_MESSAGE=TooManyRequestsException: Rate Exceeded.", "EXHAUSTED_RETRY_CONDITION=MaximumRetryAttempts",
            "RETRY_ATTEMPTS=4", "RULE_ARN=\(Self.ruleArn)", "TARGET_ARN=\(flaky.functionArn)",
        ])
        #expect(dead.first?.attributes["RETRY_ATTEMPTS"]?.dataType == "String")
        #expect(try h.runtime.storage.busEvents.pendingDeliveries(bus: "orders").isEmpty)
        #expect(try h.runtime.storage.busEvents.busesWithPending().isEmpty)
        #expect(await bus.failedTargetDeliveries == 5)
        let rule = [("RuleName", "all")]
        #expect(try metrics.expectCounter("RetryInvocationAttempts", rule).totalValue == 4)
        #expect(try metrics.expectCounter("FailedInvocations", rule).totalValue == 1)
        #expect(try metrics.expectCounter("InvocationsSentToDlq", rule).totalValue == 1)
        #expect(try metrics.expectCounter("DeliveryFailures", [("Source", Self.ruleArn), ("Target", flaky.functionArn)]).totalValue == 5)
        #expect(h.runtime.activity.entries(.dropped).isEmpty)
        #expect(h.runtime.activity.entries(.delivered).map { "\($0.target ?? "") \($0.reason ?? "")" } == [
            "\(dlq.arn) dead-letter queue: MaximumRetryAttempts exhausted after 5 attempts; last error THROTTLING: TooManyRequestsException: Rate Exceeded."
        ])
    }

    /// The waits before retries 1...4 of the delivery above, in milliseconds, and the attempts' instants.
    static let delays: [Int64] = [794, 1252, 3396, 7696]
    static var instants: [Int64] { delays.reduce(into: [0]) { $0.append($0.last! + $1) } }

    @Test("with the default policy a failing target is tried 186 times within 24 hours of virtual time", arguments: StoreKind.allCases)
    func dayOfRetries(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let (_, flaky, dlq) = try await Self.throttled(h, .init())
        let started = ContinuousClock.now
        await h.advance(by: .seconds(86_400))
        let took = ContinuousClock.now - started
        let calls = flaky.calls
        #expect(calls.count == 186)
        #expect(calls.last == Self.lastOfDay)
        // Each wait is at most 10 minutes once the doubling reaches the cap.
        #expect(zip(calls.dropFirst(), calls).allSatisfy { $0 - $1 <= 600_000 })
        let dead = await dlq.messages
        #expect(dead.count == 1)
        #expect(dead.first?.attributes["EXHAUSTED_RETRY_CONDITION"]?.stringValue == "MaximumRetryAttempts")
        #expect(dead.first?.attributes["RETRY_ATTEMPTS"]?.stringValue == "185")
        #expect(await h.runtime.scheduledCount == 0)
        print("a day of target retries (\(store)): 186 attempts, the last at \(Double(Self.lastOfDay) / 3_600_000) h, in \(took) of real time")
    }

    static let lastOfDay: Int64 = 79_845_458

    @Test("MaximumEventAgeInSeconds ends the retries before a retry that would come too late", arguments: StoreKind.allCases)
    func eventAge(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let (_, flaky, dlq) = try await Self.throttled(h, .init(maximumEventAgeInSeconds: 60))
        await h.advance(by: .seconds(600))
        #expect(flaky.calls == Self.ageInstants)
        let dead = await dlq.messages
        #expect(dead.first?.attributes["EXHAUSTED_RETRY_CONDITION"]?.stringValue == "MaximumEventAgeInSeconds")
        #expect(dead.first?.attributes["RETRY_ATTEMPTS"]?.stringValue == String(Self.ageInstants.count - 1))
    }

    static let ageInstants: [Int64] = [0, 794, 2046, 5442, 13138, 24082, 40594]

    @Test("a target that can never take the event is not retried: to the DLQ at once, without EXHAUSTED_RETRY_CONDITION", arguments: StoreKind.allCases)
    func notRetried(store: StoreKind) async throws {
        let metrics = TestMetrics()
        let h = try Harness(store: store, metrics: metrics)
        let dlq = try Queue(name: "dlq", runtime: h.runtime)
        let small = try Queue(name: "small", runtime: h.runtime, maxMessageBytes: 20)
        let bus = try EventBus(name: "orders", runtime: h.runtime)
        try await bus.putRule(
            "all", pattern: Self.pattern,
            targets: [Target(id: "q", .queue(small), input: .constant(["note": "more than twenty bytes"]), deadLetterConfig: .init(dlq))])
        _ = try await bus.putEvents([Self.entry])
        await h.advance(by: .seconds(3600))
        #expect(await small.messages.isEmpty)
        let dead = await dlq.messages
        #expect(dead.map(\.body) == [try #require(await bus.accepted.first).jsonText])
        #expect(dead.first?.attributeLines == [
            "ERROR_CODE=INVALID_PARAMETER",
            "ERROR_MESSAGE=InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 20 bytes. (33 bytes)",
            "RETRY_ATTEMPTS=0", "RULE_ARN=\(Self.ruleArn)", "TARGET_ARN=\(small.arn)",
        ])
        #expect(h.runtime.activity.trail(for: Self.eventId) == [
            "2025-11-24T10:00:00.000Z accepted arn:aws:events:us-east-1:123456789012:event-bus/orders \(Self.eventId)",
            "2025-11-24T10:00:00.000Z matched arn:aws:events:us-east-1:123456789012:event-bus/orders \(Self.eventId) rule=all",
            "2025-11-24T10:00:00.000Z deliveryFailed \(Self.ruleArn) \(Self.eventId) rule=all target=\(small.arn) reason=InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 20 bytes. (33 bytes)",
            "2025-11-24T10:00:00.000Z delivered \(Self.ruleArn) \(Self.eventId) rule=all target=\(dlq.arn) reason=dead-letter queue: INVALID_PARAMETER is not retried: InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 20 bytes. (33 bytes)",
        ])
        #expect(try metrics.expectCounter("InvocationsSentToDlq", [("RuleName", "all")]).totalValue == 1)
        #expect(throws: (any Error).self) { try metrics.expectCounter("RetryInvocationAttempts", [("RuleName", "all")]) }
    }

    @Test("without a DLQ a delivery given up on is dropped: recorded with the reason, counted and logged", arguments: StoreKind.allCases)
    func dropped(store: StoreKind) async throws {
        let metrics = TestMetrics()
        let h = try Harness(store: store, metrics: metrics)
        let tiny = try Queue(name: "tiny", runtime: h.runtime, maxMessageBytes: 100)
        let flaky = FlakyTarget("flaky", runtime: h.runtime)
        let bus = try EventBus(name: "orders", runtime: h.runtime)
        try await bus.putRule(
            "all", pattern: Self.pattern,
            targets: [
                Target(id: "f", .function(flaky), retryPolicy: .init(maximumRetryAttempts: 0)),
                Target(id: "g", .function(FlakyTarget("gone", runtime: h.runtime, error: AWSError(.resourceNotFound, "Function not found"))), deadLetterConfig: .init(tiny)),
            ])
        _ = try await bus.putEvents([Self.entry])
        await h.advance(by: .seconds(3600))
        #expect(flaky.calls == [0])
        #expect(h.runtime.activity.entries(.dropped).map { "\($0.target ?? "") \($0.reason ?? "")" } == [
            "\(flaky.functionArn) MaximumRetryAttempts exhausted after 1 attempt; last error THROTTLING: TooManyRequestsException: Rate Exceeded. (no dead-letter queue)",
            "arn:aws:lambda:us-east-1:123456789012:function:gone NO_RESOURCE is not retried: ResourceNotFoundException: Function not found (could not be sent to the dead-letter queue \(tiny.arn): InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 100 bytes. (\(Self.tinyBytes) bytes))",
        ])
        #expect(await tiny.messages.isEmpty)
        #expect(try metrics.expectCounter("FailedInvocations", [("RuleName", "all")]).totalValue == 2)
        #expect(try metrics.expectCounter("InvocationsFailedToBeSentToDlq", [("RuleName", "all")]).totalValue == 1)
        #expect(try h.runtime.storage.busEvents.busesWithPending().isEmpty)
    }

    static let tinyBytes = 451

    @Test("pipe(props:) takes Functionless's retryAttempts, maxEventAge and deadLetterQueue; a handler that throws is retried")
    func pipeProps() async throws {
        let h = Harness()
        let dlq = try Queue(name: "dlq", runtime: h.runtime)
        let bus = try EventBus(name: "orders", runtime: h.runtime)
        let tries = Collected()
        try await bus.when("orders", ["source": ["shop"]], detail: Order.self)
            .pipe(props: TargetProps(retryAttempts: 2, maxEventAge: .seconds(120), deadLetterQueue: dlq)) { order in
                await tries.add(.string(order.detail.orderId))
                throw Declined()
            }
        #expect(await bus.rule("orders")?.targets.first?.retryPolicy == Target.RetryPolicy(maximumRetryAttempts: 2, maximumEventAgeInSeconds: 120))
        _ = try await bus.putEvents([try PutEventsEntry(source: "shop", detailType: "Order", encoding: Order(orderId: "o-1", amount: 1))])
        await h.advance(by: .seconds(60))
        #expect(await tries.values == ["o-1", "o-1", "o-1"])
        #expect(await dlq.messages.first?.attributeLines == [
            "ERROR_CODE=ERROR_FROM_TARGET", "ERROR_MESSAGE=card declined", "EXHAUSTED_RETRY_CONDITION=MaximumRetryAttempts", "RETRY_ATTEMPTS=2",
            "RULE_ARN=arn:aws:events:us-east-1:123456789012:rule/orders/orders", "TARGET_ARN=handler",
        ])
        await #expect(throws: AWSError(.validation, "maxEventAge 90.5 seconds cannot be converted into a whole number of seconds.")) {
            try await bus.all("every", detail: Order.self).pipe(dlq, props: TargetProps(maxEventAge: .milliseconds(90_500)))
        }
        await #expect(throws: AWSError(.validation, "1 validation error detected: Value '200' at 'targets.1.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185")) {
            try await bus.all("every", detail: Order.self).pipe(dlq, props: TargetProps(retryAttempts: 200))
        }
    }
}
