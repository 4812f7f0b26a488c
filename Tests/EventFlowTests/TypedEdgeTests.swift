import EventFlow
import EventFlowTesting
import Testing

@Suite("Typed edges: encodable details, typed receives, bus sources, settle with a deadline")
struct TypedEdgeTests {
    @Test("queue.send(json:) and receive(as:) round-trip; a body of another shape is an error naming the message")
    func typedQueue() async throws {
        let h = Harness()
        let q = try Queue(name: "orders", runtime: h.runtime)
        try await q.send(json: Order(orderId: "o-1", amount: 3))
        let received = try await q.receive(as: Order.self)
        #expect(received.map(\.value) == [Order(orderId: "o-1", amount: 3)])
        #expect(received.first?.message.body == #"{"amount":3,"orderId":"o-1"}"#)
        try await q.send("not json")
        await #expect(throws: AWSError.self) { try await q.receive(as: Order.self, visibilityTimeout: .zero) }
        do {
            _ = try await q.receive(as: Order.self)
            Issue.record("a body that is not an Order was decoded")
        } catch let e as AWSError {
            #expect(e.message == "message 00000000-0000-4000-8000-000000000003 of orders does not decode as Order: invalid literal at line 1, column 1 (offset 0)")
        }
    }

    @Test("bus.all delivers every event of the account, typed; PutEventsEntry(encoding:) takes an Encodable detail")
    func allEvents() async throws {
        let h = Harness()
        let bus = try EventBus(name: "b", runtime: h.runtime)
        let seen = Collected()
        try await bus.all("everything", detail: Order.self).pipe { await seen.add(.string("\($0.source) \($0.detail.orderId)")) }
        _ = try await bus.putEvents([
            try PutEventsEntry(source: "shop", detailType: "Order", encoding: Order(orderId: "a", amount: 1)),
            try PutEventsEntry(source: "billing", detailType: "Order", encoding: Order(orderId: "b", amount: 2)),
        ])
        await h.settle()
        #expect(await seen.values == ["shop a", "billing b"])
        #expect(await bus.rule("everything")?.pattern.json == ["account": ["123456789012"]])
    }

    @Test("settle(timeout:) waits for a handler that is slow in real time, and says when it reached idle")
    func settleWithDeadline() async throws {
        let h = Harness()
        let fn = try LambdaFunction<Int, Int>(name: "slow", runtime: h.runtime) { n, _ in
            try await Task.sleep(for: .milliseconds(200))
            return n
        }
        _ = try await fn.invoke(.event, 1)
        // A generous deadline: settle returns as soon as the handler is done; under a loaded
        // test run the handler's wake-up can wait a long time for a thread.
        #expect(await h.runtime.settle(timeout: .seconds(300)))
        #expect(await fn.outcomes.map(\.condition) == ["Success"])
    }
}
