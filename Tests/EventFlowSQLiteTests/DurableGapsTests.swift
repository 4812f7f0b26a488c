import EventFlow
import EventFlowSQLite
import EventFlowTesting
import Foundation
import Testing

@Suite("SQLite storage: creating restored resources again, stable DynamoDB stream ARNs, pruning across a restart")
struct DurableGapsTests {
    static func consumer(_ name: String, _ log: DeliveryLog, _ runtime: EventFlowRuntime) throws -> LambdaFunction<JSONValue, JSONValue> {
        try StreamRestartTests.consumer(name, log, runtime)
    }

    @Test("after restore, Queue.create with the stored attributes returns the restored queue; with another value it is SQS's error")
    func createAfterRestore() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")
        let first = try SQLiteStorage(path: path)
        let before = EventFlowRuntime.testing(storage: first)
        let dlq = try Queue.create(name: "jobs-dlq", runtime: before)
        let jobs = try Queue.create(
            name: "jobs", runtime: before, visibilityTimeout: .seconds(45), redrivePolicy: .init(deadLetterQueue: dlq, maxReceiveCount: 2))
        try await jobs.send("kept")
        try first.close()

        let second = try SQLiteStorage(path: path)
        let after = EventFlowRuntime.testing(storage: second)
        try await after.restore()
        let restored = try #require(after.queue(named: "jobs"))
        let restoredDLQ = try #require(after.queue(named: "jobs-dlq"))
        // The same program as on the first start: it gets the restored queues.
        #expect(try Queue.create(name: "jobs-dlq", runtime: after) === restoredDLQ)
        let again = try Queue.create(
            name: "jobs", runtime: after, visibilityTimeout: .seconds(45),
            redrivePolicy: .init(deadLetterQueue: restoredDLQ, maxReceiveCount: 2))
        #expect(again === restored)
        #expect(await again.messages.map(\.body) == ["kept"])
        #expect(throws: AWSError(.queueAlreadyExists, "A queue already exists with the same name and a different value for attribute VisibilityTimeout")) {
            _ = try Queue.create(name: "jobs", runtime: after, visibilityTimeout: .seconds(30))
        }
        #expect(throws: AWSError(.queueAlreadyExists, "A queue already exists with the same name and a different value for attribute RedrivePolicy")) {
            _ = try Queue.create(name: "jobs", runtime: after, redrivePolicy: .init(deadLetterQueue: restoredDLQ, maxReceiveCount: 5))
        }
        try second.close()
    }

    @Test("a DynamoDB stream keeps its ARN across restarts, restored or created again in code, and its mapping finds it by that ARN")
    func stableDynamoDBArn() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")
        let first = try SQLiteStorage(path: path)
        let before = EventFlowRuntime.testing(storage: first)
        let orders = try DataStream(dynamoDBTable: "orders", runtime: before)
        let arn = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2025-11-24T10:00:00.000"
        #expect(orders.arn == arn)
        let worker = try LambdaFunction<JSONValue, JSONValue>(name: "worker", runtime: before) { _, _ in .null }
        _ = try await EventSourceMapping.create(
            source: .stream(orders), function: worker, configuration: .init(startingPosition: .trimHorizon), uuid: "orders-worker",
            runtime: before)
        try first.close()

        // A day later: restored from the file.
        let second = try SQLiteStorage(path: path)
        let restoredRuntime = EventFlowRuntime.testing(start: EventFlowRuntime.testingStart.addingTimeInterval(86_400), storage: second)
        let seen = DeliveryLog()
        _ = try LambdaFunction<JSONValue, JSONValue>(name: "worker", runtime: restoredRuntime) { payload, _ in
            await seen.record(payload)
            return .null
        }
        let report = try await restoredRuntime.restore()
        #expect(report.restored == ["stream orders", "event source mapping orders-worker"])
        let restored = try #require(restoredRuntime.stream(arn: arn))
        #expect(restored === restoredRuntime.stream(named: "orders"))
        let mapping = try #require(await restoredRuntime.eventSourceMappings.first)
        #expect(mapping.source.arn == arn)
        try await restored.putChange(eventName: "INSERT", keys: ["Id": ["N": "1"]])
        await restoredRuntime.settle()
        #expect(await seen.batches.count == 1)
        try second.close()

        // Two days later, created in code without restore: the same label.
        let third = try SQLiteStorage(path: path)
        let inCode = EventFlowRuntime.testing(start: EventFlowRuntime.testingStart.addingTimeInterval(2 * 86_400), storage: third)
        #expect(try DataStream(dynamoDBTable: "orders", runtime: inCode).arn == arn)
        // A new table's stream is labelled with its own creation.
        #expect(
            try DataStream(dynamoDBTable: "refunds", runtime: inCode).arn
                == "arn:aws:dynamodb:us-east-1:123456789012:table/refunds/stream/2025-11-26T10:00:00.000")
        try third.close()
    }

    @Test("a mapping restored with a checkpoint at pruned records continues at the oldest record left, and says so")
    func checkpointAtPrunedRecords() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")
        let first = try SQLiteStorage(path: path)
        let before = EventFlowRuntime.testing(storage: first)
        let clicks = try DataStream(kinesis: "clicks", runtime: before, retentionPeriod: .seconds(3600))
        let log = DeliveryLog()
        let mapping = try await EventSourceMapping.create(
            source: .stream(clicks), function: try Self.consumer("consumer", log, before),
            configuration: .init(startingPosition: .trimHorizon), uuid: "tally", runtime: before)
        try await clicks.putRecord("r1", partitionKey: "a")
        await before.settle()
        await mapping.setEnabled(false)
        try await clicks.putRecord("r2", partitionKey: "a")
        try await clicks.putRecord("r3", partitionKey: "a")
        #expect(try first.checkpoints.checkpoints(mapping: "tally") == [0: 2])
        try first.close()

        // Two hours later, the stream alone is opened first: no mapping holds its records back.
        let second = try SQLiteStorage(path: path)
        let after = EventFlowRuntime.testing(start: EventFlowRuntime.testingStart.addingTimeInterval(7200), storage: second)
        let reopened = try DataStream(kinesis: "clicks", runtime: after, retentionPeriod: .seconds(3600))
        await after.settle()
        #expect(try second.streams.records(stream: "clicks", expired: true) == [])
        #expect(try second.streams.records(stream: "clicks", expired: false) == [])
        #expect(try second.streams.prunedThrough(stream: "clicks", shard: 0) == 3)
        try await reopened.putRecord("r4", partitionKey: "a")
        let resumedLog = DeliveryLog()
        let resumed = try await EventSourceMapping.create(
            source: .stream(reopened), function: try Self.consumer("consumer", resumedLog, after),
            configuration: .init(startingPosition: .trimHorizon), uuid: "tally", runtime: after)
        await after.settle()
        #expect(await resumedLog.batches == [["r4@4"]])
        #expect(
            after.activity.entries(.dropped).map(\.reason) == [
                "records of shardId-000000000000 of clicks from sequence number 000000000000000000002 through 000000000000000000003 were pruned before processing"
            ])
        #expect(await resumed.statistics.recordsSucceeded == 1)
        #expect(try second.checkpoints.checkpoints(mapping: "tally") == [0: 5])
        try second.close()
    }

    @Test("pruned rows free their pages: a stream that keeps a retention period of records stops growing the file")
    func fileStopsGrowing() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")
        let storage = try SQLiteStorage(path: path)
        let runtime = EventFlowRuntime.testing(storage: storage)
        let stream = try DataStream(kinesis: "clicks", runtime: runtime, retentionPeriod: .seconds(3600))
        let payload = String(repeating: "x", count: 2000)
        func fileSizes() -> [Int] {
            [path, path + "-wal"].map { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) ?? 0 }
        }
        var sizes: [[Int]] = []
        for _ in 0..<8 {
            for i in 0..<300 { try await stream.putRecord(payload, partitionKey: "k\(i)") }
            await runtime.advance(by: .seconds(3600))
            #expect(try storage.streams.records(stream: "clicks", expired: false) == [])
            #expect(try storage.streams.records(stream: "clicks", expired: true) == [])
            sizes.append(fileSizes())
        }
        // 2,400 records of 2 kB (4.8 MB) were written, 300 an hour: from the second hour on, the
        // file reuses the pages of the records pruned (the WAL is SQLite's, bounded by its checkpoints).
        #expect(sizes[7][0] <= sizes[1][0], "database and WAL sizes after each hour: \(sizes)")
        #expect(sizes[7][0] < 2_400 * 2000 / 2, "database and WAL sizes after each hour: \(sizes)")
        #expect(sizes[7][1] <= sizes[3][1], "database and WAL sizes after each hour: \(sizes)")
        try storage.close()
    }
}
