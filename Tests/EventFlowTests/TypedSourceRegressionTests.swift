import EventFlow
import EventFlowTesting
import Foundation
import MetricsTestKit
import Testing

/// Each test here failed on the runtime before the typed sources were made to say what they do.
@Suite("Typed sources: nothing ignored, replaced or dropped silently")
struct TypedSourceRegressionTests {
    static func approver(_ h: Harness, bus: EventBus) async throws -> LambdaFunction<Order, Approval> {
        let fn = try LambdaFunction<Order, Approval>(name: "approve", runtime: h.runtime) { o, _ in Approval(approved: o.amount < 500) }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onSuccess: .bus(bus)))
        return fn
    }

    @Test("when { } applies to a bus target; a mapped source piped to a bus is refused at set-up")
    func whenAndMapOnBusPipes() async throws {
        let h = Harness()
        let bus = try EventBus(name: "results", runtime: h.runtime)
        let audit = try EventBus(name: "audit", runtime: h.runtime)
        let audited = try Queue(name: "audited", runtime: h.runtime)
        try await audit.putRule("all", pattern: #"{"source":["lambda"]}"#, targets: [Target(id: "q", .queue(audited))])
        let fn = try await Self.approver(h, bus: bus)
        try await fn.onSuccess(bus, "approved").when { $0.detail.responsePayload.approved }.pipe(audit)
        _ = try await fn.invoke(.event, Order(orderId: "small", amount: 10))
        _ = try await fn.invoke(.event, Order(orderId: "large", amount: 900))
        await h.settle()
        let forwarded = try await audited.messages.map { try JSONParser.parse($0.body) }
        #expect(forwarded.map { $0["detail"]?["requestPayload"]?["orderId"] } == ["small"])
        await #expect(
            throws: SourceError(
                message: "source \"ids\" is mapped and cannot be piped to arn:aws:events:us-east-1:123456789012:event-bus/audit: a bus target forwards events unchanged; pipe the mapped values to a function, queue, topic or closure, or pipe to the bus before map")
        ) { try await fn.onSuccess(bus, "ids").map { $0.detail.requestPayload.orderId }.pipe(audit) }
        #expect(await bus.rule("ids") == nil)
    }

    @Test("a message too large for the piped queue is recorded, logged and counted")
    func oversizeQueueDelivery() async throws {
        let metrics = TestMetrics()
        let runtime = EventFlowRuntime.testing(metrics: metrics)
        let h = Harness(runtime: runtime)
        let bus = try EventBus(name: "results", runtime: runtime)
        let small = try Queue(name: "small", runtime: runtime, maxMessageBytes: 20)
        let fn = try await Self.approver(h, bus: bus)
        try await fn.onSuccess(bus, "to-small").map { $0.detail.requestPayload }.pipe(small)
        _ = try await fn.invoke(.event, Order(orderId: "o-1", amount: 1))
        await h.settle()
        #expect(await small.messages.isEmpty)
        let failed = runtime.activity.entries(.deliveryFailed)
        #expect(failed.map(\.reason) == [
            "InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 20 bytes. (28 bytes)"
        ])
        #expect(failed.map(\.rule) == ["to-small"])
        let counter = try metrics.expectCounter(
            "DeliveryFailures", [("Source", "arn:aws:events:us-east-1:123456789012:rule/results/to-small"), ("Target", "handler")])
        #expect(counter.totalValue == 1)
    }

    @Test("an event a typed source cannot decode is recorded as a failed decode with the reason")
    func decodeFailure() async throws {
        let h = Harness()
        let bus = try EventBus(name: "orders", runtime: h.runtime)
        let seen = Collected()
        try await bus.when("orders", ["source": ["shop"]], detail: Order.self).pipe { await seen.add(.string($0.detail.orderId)) }
        _ = try await bus.putEvents([
            try PutEventsEntry(source: "shop", detailType: "Order", encoding: Order(orderId: "ok", amount: 1)),
            PutEventsEntry(source: "shop", detailType: "Order", detail: #"{"orderId": 5}"#),
        ])
        await h.settle()
        #expect(await seen.values == ["ok"])
        let failed = h.runtime.activity.entries(.decodeFailed)
        #expect(failed.count == 1)
        #expect(failed.first?.id == "00000000-0000-4000-8000-000000000002")
        #expect(failed.first?.reason?.hasPrefix("could not decode Event<Order>: ") == true)
    }

    @Test("one default bus per runtime; onSuccess compares destinations by ARN over every qualifier")
    func defaultBusAndQualifiers() async throws {
        let h = Harness()
        #expect(EventBus.default(h.runtime) === EventBus.default(h.runtime))
        #expect(h.runtime.bus(named: "default") === EventBus.default(h.runtime))
        #expect(throws: AWSError(.resourceAlreadyExists, "Event bus default already exists.")) {
            _ = try EventBus(name: "default", runtime: h.runtime)
        }
        let fn = try LambdaFunction<Order, Approval>(name: "f", runtime: h.runtime) { _, _ in Approval(approved: true) }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onSuccess: .bus(EventBus.default(h.runtime))))
        _ = try await fn.onSuccess(EventBus.default(h.runtime), "ok")
        let results = try EventBus(name: "results", runtime: h.runtime)
        await fn.publishVersion()
        try await fn.createAlias("live", version: "1")
        try await fn.putEventInvokeConfig(EventInvokeConfig(onFailure: .bus(results)), qualifier: "live")
        _ = try await fn.onFailure(results, "failed-live")
    }

    @Test("a second source with the same id is an error; a second pipe of one source adds a target, up to five")
    func sourceIds() async throws {
        let h = Harness()
        let bus = try EventBus(name: "results", runtime: h.runtime)
        let fn = try await Self.approver(h, bus: bus)
        let seen = Collected()
        let source = try await fn.onSuccess(bus, "done")
        try await source.pipe { await seen.add(.string("first \($0.detail.requestPayload.orderId)")) }
        try await source.pipe { await seen.add(.string("second \($0.detail.requestPayload.orderId)")) }
        await #expect(
            throws: AWSError(.resourceAlreadyExists, "Rule done already exists on EventBus results: source ids name rules and must be unique per bus")
        ) { try await fn.onSuccess(bus, "done").pipe { _ in } }
        #expect(await bus.rule("done")?.targets.map(\.id) == ["done-target", "done-target-2"])
        for _ in 0..<3 { try await source.pipe { _ in } }
        await #expect(throws: AWSError(.limitExceeded, "The requested resource exceeds the maximum number allowed.")) {
            try await source.pipe { _ in }
        }
        _ = try await fn.invoke(.event, Order(orderId: "o", amount: 1))
        await h.settle()
        #expect(await seen.values == ["first o", "second o"])
    }

    @Test("pipe(topic) publishes each element; pipe(fn) takes the function's payload type")
    func pipeTopicAndFunction() async throws {
        let h = Harness()
        let bus = try EventBus(name: "results", runtime: h.runtime)
        let fn = try await Self.approver(h, bus: bus)
        let topic = try Topic(name: "approved", runtime: h.runtime)
        let next = try LambdaFunction<Order, Approval>(name: "next", runtime: h.runtime) { _, _ in Approval(approved: true) }
        let source = try await fn.onSuccess(bus, "approved")
        try await source.map { $0.detail.requestPayload }.pipe(topic)
        // `.pipe(next)` compiles only because the mapped element type is `next`'s payload type.
        try await source.map { $0.detail.requestPayload }.pipe(next)
        _ = try await fn.invoke(.event, Order(orderId: "o-2", amount: 2))
        await h.settle()
        #expect(await topic.published.map(\.message) == [#"{"amount":2,"orderId":"o-2"}"#])
        #expect(await next.outcomes.map(\.condition) == ["Success"])
    }
}
