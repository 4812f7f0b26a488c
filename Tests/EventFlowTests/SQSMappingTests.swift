import Clocks
import EventFlow
import Foundation
import Testing

@Suite("Event source mapping: SQS")
struct SQSMappingTests {
    @Test("a batch arrives exactly as Lambda delivers SQS records", arguments: StoreKind.allCases)
    func recordShape(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let queue = try Queue(name: "orders", runtime: h.runtime)
        let log = BatchLog()
        let fn = try h.recorder("worker", log, \.sqsBody)
        let mapping = try await EventSourceMapping.create(source: .queue(queue), function: fn, runtime: h.runtime)
        #expect(mapping.uuid == "00000000-0000-4000-8000-000000000001")
        try await queue.send(#"{"id":1}"#, attributes: ["kind": .string("order")])
        await h.settle()
        #expect(
            await log.payloads.map(\.jsonText) == [
                #"{"Records":[{"messageId":"00000000-0000-4000-8000-000000000002","receiptHandle":"00000000-0000-4000-8000-000000000003","body":"{\"id\":1}","attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1763978400000","SenderId":"123456789012","ApproximateFirstReceiveTimestamp":"1763978400000"},"messageAttributes":{"kind":{"stringValue":"order","stringListValues":[],"binaryListValues":[],"dataType":"String"}},"md5OfBody":"d2ce28b9a7fd7e4407e2b0fd499b7fe4","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:orders","awsRegion":"us-east-1"}]}"#
            ])
        #expect(await queue.messages.isEmpty)
        #expect(await mapping.statistics.recordsSucceeded == 1)
        #expect(await mapping.state == .enabled)
    }

    @Test("partial batch failures: only reported messages stay, return after the visibility timeout, then redrive to the DLQ", arguments: StoreKind.allCases)
    func partialBatchAndRedrive(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let dlq = try Queue(name: "orders-dlq", runtime: h.runtime)
        let queue = try Queue(
            name: "orders", runtime: h.runtime, visibilityTimeout: .seconds(30),
            redrivePolicy: .init(deadLetterQueue: dlq, maxReceiveCount: 3))
        let log = BatchLog()
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "worker", runtime: h.runtime) { payload, _ in
            await log.record(payload, field: \.sqsBody)
            let failed = (payload["Records"]?.arrayValue ?? []).filter { $0.sqsBody.contains("poison") }
            return ["batchItemFailures": .array(failed.map { ["itemIdentifier": $0["messageId"]!] })]
        }
        let mapping = try await EventSourceMapping.create(
            source: .queue(queue), function: fn, configuration: .init(batchSize: 10, reportBatchItemFailures: true),
            runtime: h.runtime)
        await mapping.setEnabled(false)
        var poisonId = ""
        for body in ["a", "b", "poison", "c", "d"] {
            let id = try await queue.send(body)
            if body == "poison" { poisonId = id }
        }
        await mapping.setEnabled(true)
        await h.settle()
        #expect(await log.batches == [["a", "b", "poison", "c", "d"]])
        #expect(await queue.messages.map(\.body) == ["poison"])
        await h.advance(by: .seconds(29))
        #expect(await log.batches.count == 1)
        await h.advance(by: .seconds(1))
        #expect(await log.batches == [["a", "b", "poison", "c", "d"], ["poison"]])
        let second = await log.payloads[1]["Records"]?.arrayValue?.first
        #expect(second?["attributes"]?["ApproximateReceiveCount"] == "2")
        #expect(second?["attributes"]?["ApproximateFirstReceiveTimestamp"] == "1763978400000")
        await h.advance(by: .seconds(30))
        #expect(await log.batches.count == 3)
        #expect(await dlq.messages.isEmpty)
        // Received three times: the next receive moves it to the dead-letter queue instead.
        await h.advance(by: .seconds(30))
        #expect(await log.batches.count == 3)
        #expect(await queue.messages.isEmpty)
        let dead = await dlq.messages
        #expect(dead.map(\.body) == ["poison"])
        #expect(dead.map(\.messageId) == [poisonId])
        let stats = await mapping.statistics
        #expect(stats.invocations == 3)
        #expect(stats.recordsSucceeded == 4)
    }

    @Test("a thrown error fails the whole batch; so do malformed or unknown item identifiers", arguments: [
        ("throw", ["a", "b"]),
        (#"{"batchItemFailures":[{"itemIdentifier":""}]}"#, ["a", "b"]),
        (#"{"batchItemFailures":[{"itemIdentifier":null}]}"#, ["a", "b"]),
        (#"{"batchItemFailures":[{"itemId":"x"}]}"#, ["a", "b"]),
        (#"{"batchItemFailures":[{"itemIdentifier":"no-such-message"}]}"#, ["a", "b"]),
        (#""just a string""#, ["a", "b"]),
        (#"{"batchItemFailures":[]}"#, []),
        (#"{"batchItemFailures":null}"#, []),
        (#"{}"#, []),
        ("null", []),
    ], StoreKind.allCases)
    func batchResponses(expected: (response: String, remaining: [String]), store: StoreKind) async throws {
        let (response, remaining) = expected
        let h = try Harness(store: store)
        let queue = try Queue(name: "q", runtime: h.runtime)
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "worker", runtime: h.runtime) { _, _ in
            if response == "throw" { throw Poison() }
            return try JSONParser.parse(response)
        }
        let mapping = try await EventSourceMapping.create(
            source: .queue(queue), function: fn, configuration: .init(enabled: false, reportBatchItemFailures: true),
            runtime: h.runtime)
        try await queue.send("a")
        try await queue.send("b")
        await mapping.setEnabled(true)
        await h.settle()
        #expect(await queue.messages.map(\.body) == remaining)
        #expect(await mapping.statistics.recordsSucceeded == 2 - remaining.count)
    }

    @Test("without ReportBatchItemFailures the response is ignored and the batch is deleted", arguments: StoreKind.allCases)
    func responseIgnoredWithoutReporting(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let queue = try Queue(name: "q", runtime: h.runtime)
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "worker", runtime: h.runtime) { payload, _ in
            ["batchItemFailures": [["itemIdentifier": payload["Records"]!.arrayValue![0]["messageId"]!]]]
        }
        _ = try await EventSourceMapping.create(source: .queue(queue), function: fn, runtime: h.runtime)
        try await queue.send("a")
        await h.settle()
        #expect(await queue.messages.isEmpty)
    }

    @Test("filters: JSON body patterns, plain-text patterns, metadata; the rest is deleted, never delivered", arguments: StoreKind.allCases)
    func filtering(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let queue = try Queue(name: "q", runtime: h.runtime)
        let log = BatchLog()
        let fn = try h.recorder("worker", log, \.sqsBody)
        let filters = [
            #"{"body": {"type": ["order"], "amount": [{"numeric": [">", 100]}]}}"#,
            #"{"body": ["ping"]}"#,
            #"{"attributes": {"ApproximateReceiveCount": ["1"]}, "messageAttributes": {"priority": {"stringValue": ["high"]}}}"#,
        ]
        let mapping = try await EventSourceMapping.create(
            source: .queue(queue), function: fn, configuration: .init(enabled: false, filters: filters), runtime: h.runtime)
        try await queue.send(#"{"type":"order","amount":250}"#)
        try await queue.send(#"{"type":"order","amount":50}"#)
        try await queue.send(#"{"type":"refund","amount":250}"#)
        try await queue.send("ping")
        try await queue.send("order")  // plain text against the JSON pattern: dropped
        try await queue.send(#"{"x":"ping"}"#)  // JSON against the plain-text pattern: dropped
        try await queue.send("anything", attributes: ["priority": .string("high")])
        await mapping.setEnabled(true)
        await h.settle()
        #expect(await log.batches == [[#"{"type":"order","amount":250}"#, "ping", "anything"]])
        #expect(await queue.messages.isEmpty)
        let stats = await mapping.statistics
        #expect(stats.recordsFilteredOut == 4)
        #expect(stats.recordsSucceeded == 3)
    }

    @Test("batching window: a batch waits for the window unless it fills up first", arguments: StoreKind.allCases)
    func batchingWindow(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let queue = try Queue(name: "q", runtime: h.runtime)
        let log = BatchLog()
        let fn = try h.recorder("worker", log, \.sqsBody)
        _ = try await EventSourceMapping.create(
            source: .queue(queue), function: fn, configuration: .init(batchSize: 3, maximumBatchingWindowInSeconds: 5),
            runtime: h.runtime)
        try await queue.send("1")
        await h.advance(by: .seconds(2))
        try await queue.send("2")
        await h.advance(by: .seconds(2))
        #expect(await log.batches.isEmpty)
        await h.advance(by: .seconds(1))
        #expect(await log.batches == [["1", "2"]])
        for i in 3...5 { try await queue.send(String(i)) }
        await h.settle()
        #expect(await log.batches == [["1", "2"], ["3", "4", "5"]])
    }

    @Test("a paused mapping delivers nothing until resumed; a deleted one frees its source and function", arguments: StoreKind.allCases)
    func pauseResumeDelete(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let queue = try Queue(name: "q", runtime: h.runtime)
        let log = BatchLog()
        let fn = try h.recorder("worker", log, \.sqsBody)
        let mapping = try await EventSourceMapping.create(source: .queue(queue), function: fn, runtime: h.runtime)
        await mapping.setEnabled(false)
        #expect(await mapping.state == .disabled)
        try await queue.send("held")
        await h.advance(by: .seconds(60))
        #expect(await log.batches.isEmpty)
        await mapping.setEnabled(true)
        await h.settle()
        #expect(await log.batches == [["held"]])
        await mapping.delete()
        #expect(await mapping.state == .deleting)
        try await queue.send("after delete")
        await h.settle()
        #expect(await log.batches == [["held"]])
        #expect(await queue.messages.map(\.body) == ["after delete"])
        let again = try await EventSourceMapping.create(source: .queue(queue), function: fn, runtime: h.runtime)
        await h.settle()
        #expect(await log.batches == [["held"], ["after delete"]])
        #expect(await h.runtime.eventSourceMappings.map(\.uuid) == [again.uuid])
    }

    @Test("throttled batches return after the visibility timeout", arguments: StoreKind.allCases)
    func throttled(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let queue = try Queue(name: "q", runtime: h.runtime, visibilityTimeout: .seconds(10))
        let log = BatchLog()
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "worker", runtime: h.runtime, reservedConcurrency: 0) {
            payload, _ in
            await log.record(payload, field: \.sqsBody)
            return .null
        }
        let mapping = try await EventSourceMapping.create(source: .queue(queue), function: fn, runtime: h.runtime)
        try await queue.send("m")
        await h.settle()
        #expect(await mapping.statistics.throttles == 1)
        await fn.setReservedConcurrency(nil)
        await h.advance(by: .seconds(10))
        #expect(await log.batches == [["m"]])
        #expect(await queue.messages.isEmpty)
    }

    @Test("messages older than the retention period are removed and listed, not lost silently", arguments: StoreKind.allCases)
    func retention(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let queue = try Queue(name: "q", runtime: h.runtime, messageRetentionPeriod: .seconds(60))
        try await queue.send("old")
        await h.advance(by: .seconds(60))
        #expect(await queue.receive(max: 10).isEmpty)
        #expect(await queue.expiredMessages.map(\.body) == ["old"])
    }

    @Test("pausing during a batching window lets the gathered messages go; they are delivered once after resuming", arguments: StoreKind.allCases)
    func pauseDuringWindow(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let queue = try Queue(name: "q", runtime: h.runtime, visibilityTimeout: .seconds(30))
        let log = BatchLog()
        let fn = try h.recorder("worker", log, \.sqsBody)
        let mapping = try await EventSourceMapping.create(
            source: .queue(queue), function: fn, configuration: .init(batchSize: 5, maximumBatchingWindowInSeconds: 10),
            runtime: h.runtime)
        try await queue.send("a")
        try await queue.send("b")
        await h.advance(by: .seconds(2))
        await mapping.setEnabled(false)
        await h.advance(by: .seconds(30))
        #expect(await log.batches.isEmpty)
        await mapping.setEnabled(true)
        await h.advance(by: .seconds(10))
        #expect(await log.batches == [["a", "b"]])
        #expect(await queue.messages.isEmpty)
    }

    @Test("a mapping on a dead-letter queue is told when redrive moves a message in", arguments: StoreKind.allCases)
    func mappingOnDeadLetterQueue(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let dlq = try Queue(name: "dlq", runtime: h.runtime)
        let queue = try Queue(
            name: "q", runtime: h.runtime, visibilityTimeout: .seconds(10), redrivePolicy: .init(deadLetterQueue: dlq, maxReceiveCount: 1))
        let failing = try LambdaFunction<JSONValue, JSONValue>(name: "failing", runtime: h.runtime) { _, _ in throw Poison() }
        let log = BatchLog()
        let inspector = try h.recorder("inspector", log, \.sqsBody)
        _ = try await EventSourceMapping.create(source: .queue(queue), function: failing, runtime: h.runtime)
        _ = try await EventSourceMapping.create(source: .queue(dlq), function: inspector, runtime: h.runtime)
        try await queue.send("bad")
        await h.advance(by: .seconds(10))
        #expect(await log.batches == [["bad"]])
        #expect(await dlq.messages.isEmpty)
    }
}
