import EventFlow
import EventFlowSQLite
import EventFlowTesting
import Foundation
import Testing

/// Collects what a function was given: per batch, each record's data and sequence number.
actor DeliveryLog {
    private(set) var batches: [[String]] = []
    func record(_ payload: JSONValue) {
        batches.append(
            (payload["Records"]?.arrayValue ?? []).map { r in
                let data = Data(base64Encoded: r["kinesis"]?["data"]?.stringValue ?? "") ?? Data()
                return "\(String(decoding: data, as: UTF8.self))@\(Int(r["kinesis"]?["sequenceNumber"]?.stringValue ?? "") ?? -1)"
            })
    }
}

@Suite("SQLite storage: streams and checkpoints across a restart")
struct StreamRestartTests {
    static func consumer(_ name: String, _ log: DeliveryLog, _ runtime: EventFlowRuntime) throws -> LambdaFunction<JSONValue, JSONValue> {
        try LambdaFunction<JSONValue, JSONValue>(name: name, runtime: runtime) { payload, _ in
            await log.record(payload)
            return .null
        }
    }

    @Test("records, sequence numbers, arrival instants, retention and a mapping's checkpoints survive closing and reopening the file")
    func restart() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")
        // "a" hashes to shard 0, "b" to shard 1.
        let first = try SQLiteStorage(path: path)
        let before = EventFlowRuntime.testing(storage: first)
        let stream = try DataStream(kinesis: "clicks", runtime: before, shardCount: 2, retentionPeriod: .seconds(7200))
        let log = DeliveryLog()
        let mapping = try await EventSourceMapping.create(
            source: .stream(stream), function: try Self.consumer("consumer", log, before),
            configuration: .init(batchSize: 2, startingPosition: .trimHorizon), uuid: "tally", runtime: before)
        #expect(mapping.uuid == "tally")
        for (n, key) in [(1, "a"), (2, "b"), (3, "a"), (4, "b")] {
            try await stream.putRecord("r\(n)", partitionKey: key)
        }
        await before.settle()
        #expect(await log.batches == [["r1@1", "r3@3"], ["r2@2", "r4@4"]])
        await mapping.setEnabled(false)
        #expect(try await stream.putRecord("r5", partitionKey: "a") == ("shardId-000000000000", "000000000000000000005"))
        #expect(try await stream.putRecord("r6", partitionKey: "b") == ("shardId-000000000001", "000000000000000000006"))
        await before.settle()
        #expect(await log.batches.count == 2)
        try first.close()

        // An hour later, in a new runtime on the reopened file.
        let second = try SQLiteStorage(path: path)
        let after = EventFlowRuntime.testing(start: EventFlowRuntime.testingStart.addingTimeInterval(3600), storage: second)
        #expect(
            throws: AWSError(
                .invalidArgument,
                "cannot open stream clicks: stream clicks is stored as kinesis with 2 shards, not kinesis with 3 shards; its records are kept as they are")
        ) { _ = try DataStream(kinesis: "clicks", runtime: after, shardCount: 3) }
        let reopened = try DataStream(kinesis: "clicks", runtime: after, shardCount: 2, retentionPeriod: .seconds(7200))
        let records = await reopened.records
        #expect(records.map { String(decoding: $0.data, as: UTF8.self) } == ["r1", "r3", "r5", "r2", "r4", "r6"])
        #expect(records.map(\.shardId) == ["shardId-000000000000", "shardId-000000000000", "shardId-000000000000",
            "shardId-000000000001", "shardId-000000000001", "shardId-000000000001"])
        // Arrival is an absolute instant: an hour before this runtime's start.
        #expect(records.allSatisfy { $0.arrivedAt == .seconds(-3600) })
        #expect(try await reopened.putRecord("r7", partitionKey: "a") == ("shardId-000000000000", "000000000000000000007"))
        #expect(try second.checkpoints.checkpoints(mapping: "tally") == [0: 4, 1: 5])

        // The same mapping again: each shard resumes from its checkpoint, not from TRIM_HORIZON.
        let resumedLog = DeliveryLog()
        let resumed = try await EventSourceMapping.create(
            source: .stream(reopened), function: try Self.consumer("consumer", resumedLog, after),
            configuration: .init(batchSize: 2, startingPosition: .trimHorizon), uuid: "tally", runtime: after)
        await after.settle()
        #expect(await resumedLog.batches == [["r5@5", "r7@7"], ["r6@6"]])
        #expect(try second.checkpoints.checkpoints(mapping: "tally") == [0: 8, 1: 7])
        #expect(await resumed.statistics.recordsSucceeded == 3)
        // A new mapping starts where its starting position says.
        let freshLog = DeliveryLog()
        _ = try await EventSourceMapping.create(
            source: .stream(reopened), function: try Self.consumer("auditor", freshLog, after),
            configuration: .init(batchSize: 10, startingPosition: .trimHorizon), uuid: "audit", runtime: after)
        await after.settle()
        #expect(await freshLog.batches == [["r1@1", "r3@3", "r5@5", "r7@7"], ["r2@2", "r4@4", "r6@6"]])
        // Retention counts from the stored arrival: the first run's records expire an hour in.
        await after.advance(by: .seconds(3600))
        #expect(await reopened.records.map { String(decoding: $0.data, as: UTF8.self) } == ["r7"])
        // Both mappings had read past them: pruned at once, deleted from the file.
        #expect(await reopened.expiredRecords == [])
        #expect(try second.streams.records(stream: "clicks", expired: true) == [])
        #expect(try second.streams.records(stream: "clicks", expired: false).map(\.sequence) == [7])
        #expect(try second.streams.prunedThrough(stream: "clicks", shard: 0) == 5)
        #expect(try second.streams.prunedThrough(stream: "clicks", shard: 1) == 6)
        // Deleting a mapping forgets its checkpoints.
        await resumed.delete()
        #expect(try second.checkpoints.checkpoints(mapping: "tally") == [:])
        try second.close()
    }
}
