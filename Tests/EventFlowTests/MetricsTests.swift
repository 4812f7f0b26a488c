import Clocks
import EventFlow
import Foundation
import MetricsTestKit
import Testing

@Suite("Metrics and at-least-once delivery")
struct MetricsTests {
    @Test("Lambda's metric names, per function: invocations, errors, throttles, async events, DLQ and destination failures")
    func lambdaMetrics() async throws {
        let metrics = TestMetrics()
        let clock = TestClock<Duration>()
        let runtime = EventFlowRuntime(
            clock: RuntimeClock(clock, startDate: Harness.start, advance: { await clock.advance(to: $0) }), ids: .sequential(),
            metrics: metrics)
        let tiny = try Queue(name: "tiny", runtime: runtime, maxMessageBytes: 10)
        let fn = try LambdaFunction<Order, Approval>(name: "charge", runtime: runtime, deadLetter: .queue(tiny)) { order, _ in
            if order.amount > 100 { throw Declined() }
            return Approval(approved: true)
        }
        try await fn.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 1, onFailure: .queue(tiny)))
        _ = try await fn.invoke(.event, Order(orderId: "ok", amount: 1))
        _ = try await fn.invoke(.event, Order(orderId: "bad", amount: 500))
        await runtime.advance(by: .seconds(180))
        let dims = [("FunctionName", "charge")]
        #expect(try metrics.expectCounter("AsyncEventsReceived", dims).totalValue == 2)
        #expect(try metrics.expectCounter("Invocations", dims).totalValue == 3)
        #expect(try metrics.expectCounter("Errors", dims).totalValue == 2)
        #expect(try metrics.expectCounter("DestinationDeliveryFailures", dims).totalValue == 1)
        #expect(try metrics.expectCounter("DeadLetterErrors", dims).totalValue == 1)
        #expect(try metrics.expectTimer("AsyncEventAge", dims).values.count == 3)

        await fn.setReservedConcurrency(0)
        _ = try await fn.invoke(.event, Order(orderId: "throttled", amount: 1))
        await runtime.settle()
        #expect(try metrics.expectCounter("Throttles", dims).totalValue == 1)
        // No destination took it and no dead-letter queue accepted it: counted as dropped.
        await fn.setDeadLetter(nil)
        try await fn.deleteEventInvokeConfig()
        _ = try await fn.invoke(.event, Order(orderId: "dropped", amount: 1))
        await runtime.settle()
        #expect(try metrics.expectCounter("AsyncEventsDropped", dims).totalValue == 1)
    }

    @Test("duplicate deliveries: every accepted event runs twice, with the same request id, and each run is recorded")
    func duplicateDeliveries() async throws {
        let h = Harness()
        let done = try Queue(name: "done", runtime: h.runtime)
        let seen = RequestLog()
        let fn = try LambdaFunction<Order, Approval>(name: "ship", runtime: h.runtime) { _, context in
            await seen.record(context.requestId)
            return Approval(approved: true)
        }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(done)))
        await fn.setDuplicateDeliveries(true)
        _ = try await fn.invoke(.event, Order(orderId: "o", amount: 1))
        await h.settle()
        #expect(await seen.ids == ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000001"])
        #expect(await done.messages.count == 2)
        #expect(await fn.outcomes.map(\.condition) == ["Success", "Success"])
    }
}

actor RequestLog {
    var ids: [String] = []
    func record(_ id: String) { ids.append(id) }
}
