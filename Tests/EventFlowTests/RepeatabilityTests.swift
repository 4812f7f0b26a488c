import EventFlow
import EventFlowTesting
import Testing

@Suite("Test runs repeat exactly")
struct RepeatabilityTests {
    /// Bursts into functions with little concurrency, failures, retries, simulated durations,
    /// destinations to a bus with typed sources and to queues, and a dead-letter queue. Returns
    /// everything observable: the activity log, every queue's messages, every outcome.
    static func scenario() async throws -> [String] {
        let runtime = EventFlowRuntime.testing(limits: RuntimeLimits(activityCapacity: 100_000))
        let results = try EventBus(name: "results", runtime: runtime)
        let done = try Queue(name: "done", runtime: runtime)
        let dlq = try Queue(name: "dlq", runtime: runtime)
        let retried = try Queue(name: "retried", runtime: runtime)
        let charge = try LambdaFunction<Order, Approval>(name: "charge", runtime: runtime, reservedConcurrency: 3, deadLetter: .queue(dlq)) { o, context in
            try await context.sleep(for: .milliseconds(100 * (o.amount % 7)))
            if o.amount % 5 == 0 && context.attempt < 3 { throw FunctionError("flaky \(o.amount)") }
            if o.amount % 11 == 0 { throw FunctionError("declined \(o.amount)") }
            return Approval(approved: o.amount % 2 == 0)
        }
        let notify = try LambdaFunction<Order, Approval>(name: "notify", runtime: runtime, reservedConcurrency: 2) { _, context in
            try await context.sleep(for: .milliseconds(300))
            return Approval(approved: true)
        }
        try await charge.putEventInvokeConfig(EventInvokeConfig(onSuccess: .bus(results), onFailure: .queue(retried)))
        try await notify.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(done)))
        try await charge.onSuccess(results, "approved").when { $0.detail.responsePayload.approved }
            .map { $0.detail.requestPayload }.pipe(notify)
        for burst in 0..<3 {
            for n in 0..<400 { _ = try await charge.invoke(.event, Order(orderId: "o\(burst)-\(n)", amount: n)) }
            await runtime.advance(by: .seconds(30))
        }
        await runtime.advance(by: .seconds(400))
        var lines = runtime.activity.entries.map(\.description)
        for q in [done, dlq, retried] { lines += await q.messages.map { "\(q.name): \($0.messageId) \($0.body)" } }
        for f in [charge, notify] { lines += await f.outcomes.map { "\(f.name): \($0.requestId) \($0.condition)" } }
        return lines
    }

    @Test("the same scenario three times: identical ids, order and outcomes")
    func identicalRuns() async throws {
        let first = try await Self.scenario()
        #expect(first.count > 10_000)
        #expect(first.contains { $0.hasPrefix("retried: ") })
        #expect(first.contains { $0.hasPrefix("dlq: ") })
        #expect(first.contains { $0.hasPrefix("done: ") })
        for _ in 0..<2 {
            let again = try await Self.scenario()
            #expect(again.count == first.count)
            #expect(again == first)
        }
    }
}
