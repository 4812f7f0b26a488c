import EventFlow
import EventFlowTesting
import Testing

@Suite("Stream mappings: lanes and the shard's checkpoint")
struct StreamLaneCheckpointTests {
    @Test("with ParallelizationFactor 2, a lane that has no records of its own does not hold the shard's checkpoint back")
    func idleLane() async throws {
        let storage = InMemoryStorage()
        let runtime = EventFlowRuntime.testing(storage: storage)
        let stream = try DataStream(kinesis: "clicks", runtime: runtime)
        let seen = Recorder()
        let f = try seen.function("f", runtime) { $0["kinesis"]?["partitionKey"]?.stringValue }
        _ = try await EventSourceMapping.create(
            source: .stream(stream), function: f, configuration: .init(startingPosition: .trimHorizon, parallelizationFactor: 2),
            uuid: "m", runtime: runtime)
        for _ in 0..<3 { try await stream.putRecord("x", partitionKey: "a") }
        await runtime.settle()
        #expect(await seen.items == ["a", "a", "a"])
        // Every record is done: a restart resumes after the third, not at the first.
        #expect(try storage.checkpoints.checkpoints(mapping: "m") == [0: 4])
    }
}
