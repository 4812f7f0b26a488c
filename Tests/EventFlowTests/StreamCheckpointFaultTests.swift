import EventFlow
import EventFlowTesting
import Testing

/// A checkpoint store whose writes fail (as on a full disk).
struct RefusingCheckpoints: CheckpointStore {
    func checkpoints(mapping: String) -> [Int: Int] { [:] }
    nonisolated(nonsending) func save(mapping: String, shard: Int, sequence: Int, outbox: [OutboxMessage]) async throws {
        throw PatchedStorage.DiskFull()
    }
    func remove(mapping: String) {}
}

@Suite("Event source mapping: stream checkpoints that cannot be stored")
struct StreamCheckpointFaultTests {
    @Test("a checkpoint the store refuses is logged and recorded; a given-up batch's record that shared its transaction is counted discarded")
    func refused() async throws {
        let h = Harness(runtime: .testing(storage: PatchedStorage(checkpoints: RefusingCheckpoints())))
        let stream = try DataStream(kinesis: "s", runtime: h.runtime)
        let failures = try Queue(name: "failures", runtime: h.runtime)
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "consumer", runtime: h.runtime) { payload, _ in
            if payload["Records"]?.arrayValue?.first?.kinesisText == "bad" { throw Poison() }
            return .null
        }
        let mapping = try await EventSourceMapping.create(
            source: .stream(stream), function: fn,
            configuration: .init(batchSize: 1, startingPosition: .trimHorizon, maximumRetryAttempts: 0, onFailure: .queue(failures)),
            uuid: "m", runtime: h.runtime)
        try await stream.putRecord("good", partitionKey: "p")
        await h.settle()
        try await stream.putRecord("bad", partitionKey: "p")
        await h.settle()
        #expect(
            h.runtime.activity.entries(.storageFailed).map { "\($0.resource) \($0.reason ?? "")" } == [
                "m could not store the checkpoint 2 of shard 0 of event source mapping m: disk full",
                "m could not store the checkpoint 3 of shard 0 of event source mapping m with its on-failure record: disk full",
            ])
        let stats = await mapping.statistics
        #expect(stats.recordsSucceeded == 1)
        #expect(stats.recordsSentToOnFailure == 0)
        #expect(stats.recordsDiscarded == 1)
        #expect(await failures.messages.isEmpty)
        #expect(await mapping.failureRecords.count == 1)
    }
}
