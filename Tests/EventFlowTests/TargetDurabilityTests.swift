import EventFlow
import EventFlowSQLite
import EventFlowTesting
import Foundation
import MetricsTestKit
import Testing

@Suite("Rule targets: pending deliveries, their retry state and their settings survive a restart")
struct TargetDurabilityTests {
    static let eventId = "00000000-0000-4000-8000-000000000001"

    /// A storage for the first runtime, and a way to open it again for the second ("restart").
    static func storages(_ store: StoreKind, _ scratch: ScratchFolder) throws -> (first: any RuntimeStorage, reopen: () throws -> any RuntimeStorage) {
        let path = scratch.url.appendingPathComponent("flow.db").path
        guard store == .sqlite else {
            let memory = InMemoryStorage()
            return (memory, { memory })
        }
        let first = try SQLiteStorage(path: path)
        return (first, {
            try first.close()
            return try SQLiteStorage(path: path)
        })
    }

    @Test("retries resume at their due time after a restart; targets the rule lost are delivered, or dead-lettered when their resource is gone", arguments: StoreKind.allCases)
    func resumedAfterRestart(store: StoreKind) async throws {
        let scratch = try ScratchFolder()
        let (first, reopen) = try Self.storages(store, scratch)
        let before = EventFlowRuntime.testing(storage: first)
        do {
            let dlq = try Queue(name: "dlq", runtime: before)
            let jobs = try Queue(name: "jobs", runtime: before)
            let bus = try EventBus(name: "orders", runtime: before)
            let policy = Target.RetryPolicy(maximumRetryAttempts: 5)
            try await bus.putRule(
                "all", pattern: #"{"source":["shop"]}"#,
                targets: [
                    Target(id: "f", .function(FlakyTarget("flaky", runtime: before)), input: .path("$.detail"), retryPolicy: policy, deadLetterConfig: .init(dlq)),
                    Target(id: "g", .function(FlakyTarget("gone", runtime: before)), retryPolicy: policy, deadLetterConfig: .init(dlq)),
                    Target(id: "q", .queue(jobs), input: .path("$.detail")),
                ])
            _ = try await bus.putEvents([PutEventsEntry(source: "shop", detailType: "order", detail: #"{"n":1}"#)])
            await before.advance(by: .seconds(3))
            #expect(await jobs.messages.map(\.body) == [#"{"n":1}"#])
            // The process "ends" here, with two deliveries retrying.
        }
        let pending = try first.busEvents.pendingDeliveries(bus: "orders").map {
            "\($0.key.targetId) \($0.targetKind.rawValue)/\($0.targetName) attempts=\($0.attempts) due=\(before.clock.offset(of: $0.dueAt).milliseconds) dlq=\($0.deadLetterQueue ?? "-")"
        }
        #expect(pending == ["f function/flaky attempts=\(Self.fAttempts) due=\(Self.fDue) dlq=dlq", "g function/gone attempts=\(Self.gAttempts) due=\(Self.gDue) dlq=dlq"])

        let second = try reopen()
        let metrics = TestMetrics()
        let after = EventFlowRuntime.testing(metrics: metrics, storage: second)
        let dlq = try Queue(name: "dlq", runtime: after)
        let jobs = try Queue(name: "jobs", runtime: after)
        let invoked = Recorder()
        // "flaky" is a real function now; "gone" is never registered again.
        _ = try LambdaFunction<JSONValue, JSONValue>(name: "flaky", runtime: after) { payload, _ in
            await invoked.add("\(after.clock.now.milliseconds) \(payload.jsonText)")
            return payload
        }
        let bus = try EventBus(name: "orders", runtime: after)
        // The rule lost both targets before the restart's resume.
        try await bus.putRule("all", pattern: #"{"source":["shop"]}"#, targets: [Target(id: "q", .queue(jobs), input: .path("$.detail"))])
        await after.resumeStoredWork()
        await after.advance(by: .seconds(60))
        let items = await invoked.items
        #expect(items == ["\(Self.fDue) {\"n\":1}"], "the retry comes at its stored instant, with the stored input")
        let dead = await dlq.messages
        #expect(dead.count == 1)
        #expect(try JSONParser.parse(try #require(dead.first).body)["id"] == .string(Self.eventId))
        #expect(dead.first?.attributeLines == [
            "ERROR_CODE=NO_RESOURCE", "ERROR_MESSAGE=ResourceNotFoundException: function gone does not exist",
            "RETRY_ATTEMPTS=\(Self.gAttempts)", "RULE_ARN=arn:aws:events:us-east-1:123456789012:rule/orders/all",
            "TARGET_ARN=arn:aws:lambda:us-east-1:123456789012:function:gone",
        ])
        #expect(await jobs.messages.map(\.body) == [#"{"n":1}"#], "nothing delivered twice")
        #expect(try second.busEvents.busesWithPending().isEmpty)
        #expect(try metrics.expectCounter("TargetDeliveriesResumed", [("EventBusName", "orders")]).totalValue == 2)
        // Once per bus.
        await after.resumeStoredWork()
        await after.advance(by: .seconds(60))
        #expect(await invoked.items.count == 1)
        try (second as? SQLiteStorage)?.close()
    }

    /// Where the two retrying deliveries stood when the first process ended (attempts at 0,
    /// 794 and 2046 ms for "f"; its retry 3 waits 3396 ms).
    static let fAttempts = 3
    static let fDue: Int64 = 5442
    static let gAttempts = 3
    static let gDue: Int64 = 5162

    @Test("a target's retry policy and dead-letter queue are stored with its rule and restored", arguments: StoreKind.allCases)
    func definitions(store: StoreKind) async throws {
        let scratch = try ScratchFolder()
        let (first, reopen) = try Self.storages(store, scratch)
        do {
            let runtime = EventFlowRuntime.testing(storage: first)
            let dlq = try Queue(name: "dlq", runtime: runtime)
            let jobs = try Queue(name: "jobs", runtime: runtime)
            let bus = try EventBus(name: "orders", runtime: runtime)
            try await bus.putRule(
                "all", pattern: #"{"source":["shop"]}"#,
                targets: [
                    Target(id: "q", .queue(jobs), retryPolicy: .init(maximumRetryAttempts: 3, maximumEventAgeInSeconds: 600), deadLetterConfig: .init(dlq)),
                    Target(id: "plain", .queue(jobs)),
                ])
            let body = try first.definitions.definitions().first { $0.kind == .rule }?.body
            #expect(body == #"{"bus":"orders","closureTargetIds":[],"name":"all","pattern":"{\"source\":[\"shop\"]}","state":"ENABLED","targets":[{"deadLetterQueue":"dlq","id":"q","input":{"event":{}},"resource":{"kind":"queue","name":"jobs"},"retryPolicy":{"maximumEventAgeInSeconds":600,"maximumRetryAttempts":3}},{"id":"plain","input":{"event":{}},"resource":{"kind":"queue","name":"jobs"}}]}"#)
        }
        let second = try reopen()
        let runtime = EventFlowRuntime.testing(storage: second)
        let report = try await runtime.restore()
        #expect(report.waiting.isEmpty)
        let targets = try #require(await runtime.bus(named: "orders")?.rule("all")).targets
        #expect(targets.map(\.retryPolicy) == [.init(maximumRetryAttempts: 3, maximumEventAgeInSeconds: 600), .init()])
        #expect(targets.map { $0.deadLetterConfig?.arn } == ["arn:aws:sqs:us-east-1:123456789012:dlq", nil])
        try (second as? SQLiteStorage)?.close()
    }
}
