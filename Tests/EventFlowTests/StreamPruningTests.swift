import EventFlow
import EventFlowTesting
import Testing

@Suite("Stream retention: expired records are pruned from the store on the runtime's clock")
struct StreamPruningTests {
    static func texts(_ records: [DataStream.Record]) -> [String] { records.map { String(decoding: $0.data, as: UTF8.self) } }

    /// A runtime on `store` with a Kinesis stream kept an hour and a disabled TRIM_HORIZON
    /// mapping recording each record's data.
    static func pausedMapping(_ store: StoreKind) async throws -> (Harness, DataStream, BatchLog, EventSourceMapping) {
        let h = try Harness(store: store)
        let stream = try DataStream(kinesis: "s", runtime: h.runtime, retentionPeriod: .seconds(3600))
        let log = BatchLog()
        let mapping = try await EventSourceMapping.create(
            source: .stream(stream), function: try h.recorder("consumer", log, \.kinesisText),
            configuration: .init(enabled: false, startingPosition: .trimHorizon), runtime: h.runtime)
        return (h, stream, log, mapping)
    }

    @Test("with no mapping, records are deleted once past retention; TRIM_HORIZON then starts at the oldest record left", arguments: StoreKind.allCases)
    func pruneWithoutMappings(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let streams = h.runtime.storage.streams
        let stream = try DataStream(kinesis: "s", runtime: h.runtime, retentionPeriod: .seconds(3600))
        try await stream.putRecord("a", partitionKey: "p")
        try await stream.putRecord("b", partitionKey: "p")
        await h.advance(by: .seconds(1800))
        try await stream.putRecord("c", partitionKey: "p")
        #expect(await h.runtime.scheduledCount == 1)
        await h.advance(by: .seconds(1800))
        #expect(Self.texts(await stream.records) == ["c"])
        #expect(await stream.expiredRecords == [])
        #expect(try streams.records(stream: "s", expired: true) == [])
        #expect(try streams.records(stream: "s", expired: false).map(\.sequence) == [3])
        #expect(try streams.prunedThrough(stream: "s", shard: 0) == 2)
        await h.advance(by: .seconds(1800))
        #expect(try streams.records(stream: "s", expired: false) == [])
        #expect(try streams.prunedThrough(stream: "s", shard: 0) == 3)
        // Nothing stored: nothing scheduled.
        #expect(await h.runtime.scheduledCount == 0)

        try await stream.putRecord("d", partitionKey: "p")
        let log = BatchLog()
        let mapping = try await EventSourceMapping.create(
            source: .stream(stream), function: try h.recorder("consumer", log, \.kinesisText), configuration: .init(startingPosition: .trimHorizon),
            runtime: h.runtime)
        await h.settle()
        #expect(await log.batches == [["d"]])
        #expect(await mapping.statistics.recordsExpired == 0)
        #expect(h.runtime.activity.entries(.dropped) == [])
    }

    @Test("a paused mapping keeps expired records stored until it has counted them, then they are pruned", arguments: StoreKind.allCases)
    func pausedMappingHoldsPruning(store: StoreKind) async throws {
        let (h, stream, log, mapping) = try await Self.pausedMapping(store)
        try await stream.putRecord("a", partitionKey: "p")
        await h.advance(by: .seconds(3600))
        #expect(await stream.records == [])
        #expect(Self.texts(await stream.expiredRecords) == ["a"])
        await mapping.setEnabled(true)
        try await stream.putRecord("b", partitionKey: "p")
        await h.settle()
        #expect(await log.batches == [["b"]])
        #expect(await mapping.statistics.recordsExpired == 1)
        // When "b" expires, the mapping has read past both: both are deleted.
        await h.advance(by: .seconds(3600))
        #expect(await stream.expiredRecords == [])
        #expect(try h.runtime.storage.streams.prunedThrough(stream: "s", shard: 0) == 2)
        #expect(h.runtime.activity.entries(.dropped) == [])
    }

    @Test("a mapping paused past the grace continues at the oldest record left, and the skip is logged and recorded", arguments: StoreKind.allCases)
    func skipPastGrace(store: StoreKind) async throws {
        let (h, stream, log, mapping) = try await Self.pausedMapping(store)
        try await stream.putRecord("a", partitionKey: "p")
        try await stream.putRecord("b", partitionKey: "p")
        await h.advance(by: .seconds(3600) + DataStream.pruneGrace)
        #expect(await stream.expiredRecords == [])
        try await stream.putRecord("c", partitionKey: "p")
        await mapping.setEnabled(true)
        await h.settle()
        #expect(await log.batches == [["c"]])
        let stats = await mapping.statistics
        #expect(stats.recordsExpired == 0)
        #expect(stats.recordsSucceeded == 1)
        #expect(
            h.runtime.activity.entries(.dropped).map(\.reason) == [
                "records of shardId-000000000000 of s from sequence number 000000000000000000001 through 000000000000000000002 were pruned before processing"
            ])
        #expect(h.runtime.activity.entries(.dropped).map(\.resource) == [mapping.uuid])
    }
}
