import EventFlow
import Foundation
import Testing

@Suite("Typed onSuccess / onFailure sources")
struct SourcesTests {
    @Test("onSuccess → when → map → pipe delivers typed records for any qualifier")
    func successChain() async throws {
        let h = Harness()
        let bus = try EventBus(name: "results", runtime: h.runtime)
        let approve = try LambdaFunction<Order, Approval>(name: "approve", runtime: h.runtime) { o, _ in Approval(approved: o.amount < 500) }
        try await approve.putEventInvokeConfig(EventInvokeConfig(onSuccess: .bus(bus)))
        let approved = Collected()
        try await approve.onSuccess(bus, "approved")
            .when { $0.detail.responsePayload.approved }
            .map { $0.detail.requestPayload.orderId }
            .pipe { id in await approved.add(.string(id)) }
        _ = try await approve.invoke(.event, Order(orderId: "small", amount: 10))
        _ = try await approve.invoke(.event, Order(orderId: "large", amount: 900))
        await h.settle()
        #expect(await approved.values == ["small"])
        let rule = try #require(await bus.rule("approved"))
        #expect(
            rule.pattern.json.jsonText
                == #"{"source":["lambda"],"detail-type":["Lambda Function Invocation Result - Success"],"resources":[{"prefix":"arn:aws:lambda:us-east-1:123456789012:function:approve:"}]}"#)
    }

    @Test("onFailure with a pattern refinement on the condition, piped to a queue")
    func failureChain() async throws {
        let h = Harness()
        let bus = try EventBus(name: "results", runtime: h.runtime)
        let failures = try Queue(name: "failures", runtime: h.runtime)
        let charge = try LambdaFunction<Order, Approval>(name: "charge", runtime: h.runtime) { _, _ in throw Declined() }
        try await charge.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 0, onFailure: .bus(bus)))
        try await charge.onFailure(bus, "exhausted")
            .when(["detail": ["requestContext": ["condition": ["RetriesExhausted"]]]])
            .map { $0.detail.requestPayload }
            .pipe(failures)
        _ = try await charge.invoke(.event, Order(orderId: "o-5", amount: 5))
        await h.settle()
        #expect(await failures.messages.map(\.body) == [#"{"amount":5,"orderId":"o-5"}"#])
    }

    @Test("a bus that is not the function's destination is an error at set-up time")
    func wrongBus() async throws {
        let h = Harness()
        let bus = try EventBus(name: "results", runtime: h.runtime)
        let other = try EventBus(name: "other", runtime: h.runtime)
        let fn = try LambdaFunction<Order, Approval>(name: "f", runtime: h.runtime) { _, _ in Approval(approved: true) }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onSuccess: .bus(bus)))
        await #expect(
            throws: SourceError(
                message: "arn:aws:events:us-east-1:123456789012:event-bus/other is not the on-success destination of arn:aws:lambda:us-east-1:123456789012:function:f; set it with putEventInvokeConfig(EventInvokeConfig(onSuccess: .bus(bus))) first, or no event will ever reach this rule")
        ) { _ = try await fn.onSuccess(other, "x") }
        await #expect(throws: SourceError.self) { _ = try await fn.onFailure(bus, "y") }
    }

    @Test("pipe(fn) chains: the next function's successes are a source too")
    func chain() async throws {
        let h = Harness()
        let bus = try EventBus(name: "results", runtime: h.runtime)
        let first = try LambdaFunction<Order, Order>(name: "first", runtime: h.runtime) { o, _ in Order(orderId: o.orderId, amount: o.amount * 2) }
        let second = try LambdaFunction<Order, Approval>(name: "second", runtime: h.runtime) { o, _ in Approval(approved: o.amount == 20) }
        try await first.putEventInvokeConfig(EventInvokeConfig(onSuccess: .bus(bus)))
        try await second.putEventInvokeConfig(EventInvokeConfig(onSuccess: .bus(bus)))
        let out = Collected()
        try await first.onSuccess(bus, "first-ok").map { $0.detail.responsePayload }.pipe(second)
            .onSuccess(bus, "second-ok").pipe { await out.add(.bool($0.detail.responsePayload.approved)) }
        _ = try await first.invoke(.event, Order(orderId: "x", amount: 10))
        await h.settle()
        #expect(await out.values == [true])
    }
}
