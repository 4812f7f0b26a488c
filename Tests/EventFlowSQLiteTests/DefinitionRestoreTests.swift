import EventFlow
import EventFlowSQLite
import EventFlowTesting
import Foundation
import Testing

/// What the restored functions were given, in order.
actor Deliveries {
    private(set) var lines: [String] = []
    func add(_ line: String) { lines.append(line) }
}

@Suite("SQLite storage: resource definitions across a restart")
struct DefinitionRestoreTests {
    static let pattern = #"{"source":["shop"],"detail":{"total":[{"numeric":[">",100]}]}}"#

    /// "worker": one line per SQS message body or Kinesis record; "fulfil": the order id.
    static func functions(_ log: Deliveries, _ runtime: EventFlowRuntime) throws
        -> (worker: LambdaFunction<JSONValue, JSONValue>, fulfil: LambdaFunction<JSONValue, JSONValue>)
    {
        let worker = try LambdaFunction<JSONValue, JSONValue>(name: "worker", runtime: runtime) { payload, _ in
            for r in payload["Records"]?.arrayValue ?? [] {
                if let body = r["body"]?.stringValue { await log.add("sqs \(body)") }
                if let data = r["kinesis"]?["data"]?.stringValue {
                    await log.add("kinesis \(String(decoding: Data(base64Encoded: data) ?? Data(), as: UTF8.self))")
                }
            }
            return .null
        }
        let fulfil = try LambdaFunction<JSONValue, JSONValue>(name: "fulfil", runtime: runtime) { event, _ in
            await log.add("fulfil \(event["detail"]?["id"]?.stringValue ?? "?")")
            return ["fulfilled": event["detail"]?["id"] ?? .null]
        }
        return (worker, fulfil)
    }

    @Test("queues, a bus with its rules and targets, an event invoke config and SQS and Kinesis mappings come back from the file, and events flow through them")
    func restoreAfterReopen() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")

        let first = try SQLiteStorage(path: path)
        let before = EventFlowRuntime.testing(storage: first)
        let dlq = try Queue(name: "orders-dlq", runtime: before)
        let orders = try Queue(
            name: "orders", runtime: before, maxMessageBytes: 100_000, visibilityTimeout: .seconds(45),
            messageRetentionPeriod: .seconds(7200), redrivePolicy: .init(deadLetterQueue: dlq, maxReceiveCount: 3))
        let succeeded = try Queue(name: "succeeded", runtime: before)
        let audit = try Queue(name: "audit", runtime: before)
        let failed = try Queue(name: "failed", runtime: before)
        let clicks = try DataStream(kinesis: "clicks", runtime: before, shardCount: 2, retentionPeriod: .seconds(7200))
        let bus = try EventBus(name: "shop", runtime: before, maxRequestBytes: 4096)
        let firstLog = Deliveries()
        let (worker, fulfil) = try Self.functions(firstLog, before)
        try await fulfil.putEventInvokeConfig(
            EventInvokeConfig(maximumRetryAttempts: 1, maximumEventAgeInSeconds: 600, onSuccess: .queue(succeeded), onFailure: .queue(failed)))
        let transformer = TargetInput.transformer(
            pathsMap: ["id": "$.detail.id"], template: #"{"order":"<id>","rule":"<aws.events.rule-name>"}"#)
        try await bus.putRule(
            "big-orders", pattern: Self.pattern,
            targets: [
                Target(id: "to-queue", .queue(orders), input: transformer), Target(id: "to-fulfil", .function(fulfil)),
                Target(id: "audit", .handler { _ in }),
            ], description: "orders over 100")
        try await bus.putRule(
            "paused", pattern: #"{"source":["shop"]}"#, targets: [Target(id: "audit", .queue(audit), input: .path("$.detail"))],
            state: .disabled)
        try await bus.putRule("gone", pattern: #"{"source":["gone"]}"#, targets: [Target(id: "q", .queue(orders))])
        try await bus.removeRule("gone")
        _ = try await EventSourceMapping.create(
            source: .queue(orders), function: worker, configuration: .init(batchSize: 5, reportBatchItemFailures: true),
            uuid: "orders-worker", runtime: before)
        let streamMapping = try await EventSourceMapping.create(
            source: .stream(clicks), function: worker,
            configuration: .init(
                batchSize: 2, startingPosition: .trimHorizon, bisectBatchOnFunctionError: true, maximumRetryAttempts: 3,
                maximumRecordAgeInSeconds: 3600, parallelizationFactor: 2, onFailure: .queue(failed)),
            uuid: "clicks-worker", runtime: before)
        try await streamMapping.update { $0.batchSize = 3 }
        // Processed and checkpointed before the restart: the restored mapping does not deliver it again.
        try await clicks.putRecord("c-0", partitionKey: "a")
        await before.settle()
        #expect(await firstLog.lines == ["kinesis c-0"])
        #expect(try first.checkpoints.checkpoints(mapping: "clicks-worker") == [0: 2])
        try first.close()

        // A new process: only the handlers are code.
        let second = try SQLiteStorage(path: path)
        let after = EventFlowRuntime.testing(storage: second)
        let log = Deliveries()
        let (_, restoredFulfil) = try Self.functions(log, after)
        let report = try await after.restore()
        #expect(report.restored == [
            "queue audit", "queue failed", "queue orders", "queue orders-dlq", "queue succeeded", "stream clicks",
            "event bus shop", "rule shop/big-orders", "rule shop/paused", "event invoke config fulfil:$LATEST", "event source mapping clicks-worker",
            "event source mapping orders-worker",
        ])
        #expect(report.waiting == [])
        #expect(report.alreadyPresent == [])
        #expect(report.closureTargets == ["rule shop/big-orders: target audit is a closure (code, not stored); put it again"])

        // Field by field.
        let q = try #require(after.queue(named: "orders"))
        #expect(q.maxMessageBytes == 100_000)
        #expect(q.visibilityTimeout == .seconds(45))
        #expect(q.messageRetentionPeriod == .seconds(7200))
        let redrive = try #require(await q.redrivePolicy)
        #expect(redrive.deadLetterQueue === after.queue(named: "orders-dlq"))
        #expect(redrive.maxReceiveCount == 3)
        #expect(await after.queue(named: "orders-dlq")!.redrivePolicy == nil)
        #expect(after.queue(named: "succeeded")!.visibilityTimeout == .seconds(30))
        let stream = try #require(after.stream(named: "clicks"))
        #expect(stream.shardCount == 2)
        #expect(stream.retentionPeriod == .seconds(7200))
        let restoredBus = try #require(after.bus(named: "shop"))
        #expect(restoredBus.maxRequestBytes == 4096)
        #expect(await restoredBus.rule("gone") == nil)
        let rule = try #require(await restoredBus.rule("big-orders"))
        #expect(rule.pattern == (try EventPattern(Self.pattern)))
        #expect(rule.arn == "arn:aws:events:us-east-1:123456789012:rule/shop/big-orders")
        #expect(rule.targets.map(\.id) == ["to-queue", "to-fulfil"])
        #expect(rule.description == "orders over 100")
        #expect(rule.state == .enabled)
        let paused = try #require(await restoredBus.rule("paused"))
        #expect(paused.state == .disabled)
        #expect(paused.description == nil)
        guard case .path("$.detail") = paused.targets[0].input else { Issue.record("the paused rule's target is \(paused.targets)"); return }
        guard case .queue(let targetQueue) = rule.targets[0].kind, case .transformer(let paths, let template) = rule.targets[0].input
        else { Issue.record("the queue target is \(rule.targets[0])"); return }
        #expect(targetQueue === q)
        #expect(paths == ["id": "$.detail.id"])
        #expect(template == #"{"order":"<id>","rule":"<aws.events.rule-name>"}"#)
        guard case .function(let targetFunction) = rule.targets[1].kind, case .event = rule.targets[1].input
        else { Issue.record("the function target is \(rule.targets[1])"); return }
        #expect(targetFunction.functionArn == "arn:aws:lambda:us-east-1:123456789012:function:fulfil")
        let config = try await restoredFulfil.getEventInvokeConfig()
        #expect(config.maximumRetryAttempts == 1)
        #expect(config.maximumEventAgeInSeconds == 600)
        #expect(config.onSuccess?.arn == "arn:aws:sqs:us-east-1:123456789012:succeeded")
        #expect(config.onFailure?.arn == "arn:aws:sqs:us-east-1:123456789012:failed")
        let mappings = await after.eventSourceMappings
        #expect(mappings.map(\.uuid) == ["clicks-worker", "orders-worker"])
        let kinesis = await mappings[0].configuration
        #expect(mappings[0].source.arn == "arn:aws:kinesis:us-east-1:123456789012:stream/clicks")
        #expect(mappings[0].function.functionArn == "arn:aws:lambda:us-east-1:123456789012:function:worker")
        #expect(await mappings[0].state == .enabled)
        #expect(kinesis.batchSize == 3)
        #expect(kinesis.startingPosition == .trimHorizon)
        #expect(kinesis.bisectBatchOnFunctionError == true)
        #expect(kinesis.maximumRetryAttempts == 3)
        #expect(kinesis.maximumRecordAgeInSeconds == 3600)
        #expect(kinesis.parallelizationFactor == 2)
        #expect(kinesis.onFailure?.arn == "arn:aws:sqs:us-east-1:123456789012:failed")
        #expect(kinesis.filters == [])
        let sqs = await mappings[1].configuration
        #expect(mappings[1].source.arn == "arn:aws:sqs:us-east-1:123456789012:orders")
        #expect(sqs.batchSize == 5)
        #expect(sqs.reportBatchItemFailures == true)
        #expect(sqs.maximumBatchingWindowInSeconds == nil)
        #expect(sqs.enabled == true)

        // An event flows through the restored rule to both restored targets; the queue's
        // restored mapping runs "worker", and the stream's runs it too.
        let response = try await restoredBus.putEvents([
            PutEventsEntry(source: "shop", detailType: "order", detail: #"{"id":"o-1","total":150}"#),
            PutEventsEntry(source: "shop", detailType: "order", detail: #"{"id":"o-2","total":50}"#),
        ])
        #expect(response.failedEntryCount == 0)
        try await stream.putRecord("c-1", partitionKey: "a")
        await after.settle()
        #expect(await log.lines.sorted() == [#"fulfil o-1"#, #"kinesis c-1"#, #"sqs {"order":"o-1","rule":"big-orders"}"#])
        let records = await after.queue(named: "succeeded")!.drain()
        #expect(records.count == 1)
        #expect(records.first.flatMap { try? JSONParser.parse($0.body) }?["responsePayload"] == ["fulfilled": "o-1"])
        #expect(await q.approximateNumberOfMessages == 0)
        // The disabled rule routed nothing; enabled, it routes (and its state is stored).
        let restoredAudit = try #require(after.queue(named: "audit"))
        #expect(await restoredAudit.approximateNumberOfMessages == 0)
        try await restoredBus.enableRule("paused")
        _ = try await restoredBus.putEvents([PutEventsEntry(source: "shop", detailType: "order", detail: #"{"id":"o-3","total":1}"#)])
        await after.settle()
        #expect(await restoredAudit.drain().map(\.body) == [#"{"id":"o-3","total":1}"#])
        #expect(try second.definitions.definitions().first { $0.key == "shop/paused" }?.body.contains(#""state":"ENABLED""#) == true)
        try second.close()
    }
}
