import Clocks
import EventFlow
import Foundation
import Testing

@Suite("Event source mapping: streams")
struct StreamMappingTests {
    static func seq(_ n: Int) -> String {
        let d = String(n)
        return String(repeating: "0", count: 21 - d.count) + d
    }

    @Test("a Kinesis batch arrives exactly as Lambda delivers it, in order", arguments: StoreKind.allCases)
    func kinesisRecordShape(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let stream = try DataStream(kinesis: "clicks", runtime: h.runtime)
        let log = BatchLog()
        let fn = try h.recorder("consumer", log, \.kinesisText)
        _ = try await EventSourceMapping.create(
            source: .stream(stream), function: fn, configuration: .init(startingPosition: .trimHorizon), runtime: h.runtime)
        try await stream.putRecord("Hello", partitionKey: "1")
        await h.settle()
        #expect(
            await log.payloads.map(\.jsonText) == [
                #"{"Records":[{"kinesis":{"kinesisSchemaVersion":"1.0","partitionKey":"1","sequenceNumber":"000000000000000000001","data":"SGVsbG8=","approximateArrivalTimestamp":1763978400.000},"eventSource":"aws:kinesis","eventVersion":"1.0","eventID":"shardId-000000000000:000000000000000000001","eventName":"aws:kinesis:record","invokeIdentityArn":"arn:aws:iam::123456789012:role/lambda-role","awsRegion":"us-east-1","eventSourceARN":"arn:aws:kinesis:us-east-1:123456789012:stream/clicks"}]}"#
            ])
    }

    @Test("bisect on error isolates the poison record and sends its batch info to the on-failure queue", arguments: StoreKind.allCases)
    func bisectIsolatesPoison(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let stream = try DataStream(kinesis: "orders", runtime: h.runtime)
        let failures = try Queue(name: "stream-failures", runtime: h.runtime)
        let log = BatchLog()
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "consumer", runtime: h.runtime) { payload, _ in
            await log.record(payload, field: \.kinesisText)
            if (payload["Records"]?.arrayValue ?? []).contains(where: { $0.kinesisText == "7" }) { throw Poison() }
            return .null
        }
        let mapping = try await EventSourceMapping.create(
            source: .stream(stream), function: fn,
            configuration: .init(
                enabled: false, startingPosition: .trimHorizon, bisectBatchOnFunctionError: true, maximumRetryAttempts: 2,
                onFailure: .queue(failures)),
            runtime: h.runtime)
        for i in 1...10 { try await stream.putRecord(String(i), partitionKey: "k\(i)") }
        await mapping.setEnabled(true)
        await h.settle()
        let all = (1...10).map(String.init)
        #expect(
            await log.batches == [
                all, ["1", "2", "3", "4", "5"], ["6", "7", "8", "9", "10"], ["6", "7"], ["6"], ["7"],
            ])
        // The single poison record is retried twice (after 1 s, then 2 s) before it is given up.
        await h.advance(by: .seconds(1))
        #expect(await log.batches.count == 7)
        await h.advance(by: .seconds(2))
        #expect(await log.batches.suffix(3) == [["7"], ["7"], ["8", "9", "10"]])
        #expect(
            await failures.messages.map(\.body) == [
                #"{"requestContext":{"requestId":"00000000-0000-4000-8000-000000000009","functionArn":"arn:aws:lambda:us-east-1:123456789012:function:consumer","condition":"RetryAttemptsExhausted","approximateInvokeCount":3},"responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},"version":"1.0","timestamp":"2025-11-24T10:00:03.000Z","KinesisBatchInfo":{"shardId":"shardId-000000000000","startSequenceNumber":"000000000000000000007","endSequenceNumber":"000000000000000000007","approximateArrivalOfFirstRecord":"2025-11-24T10:00:00.000Z","approximateArrivalOfLastRecord":"2025-11-24T10:00:00.000Z","batchSize":1,"streamArn":"arn:aws:kinesis:us-east-1:123456789012:stream/orders"}}"#
            ])
        let stats = await mapping.statistics
        #expect(stats.recordsSucceeded == 9)
        #expect(stats.recordsSentToOnFailure == 1)
        #expect(await mapping.failureRecords.count == 1)
    }

    @Test("without bisect the whole batch blocks the shard until retries run out", arguments: StoreKind.allCases)
    func retriesBlockTheShard(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let stream = try DataStream(kinesis: "s", runtime: h.runtime)
        let log = BatchLog()
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "consumer", runtime: h.runtime) { payload, _ in
            await log.record(payload, field: \.kinesisText)
            if (payload["Records"]?.arrayValue ?? []).contains(where: { $0.kinesisText == "bad" }) { throw Poison() }
            return .null
        }
        let mapping = try await EventSourceMapping.create(
            source: .stream(stream), function: fn,
            configuration: .init(batchSize: 2, startingPosition: .trimHorizon, maximumRetryAttempts: 1), runtime: h.runtime)
        try await stream.putRecord("bad", partitionKey: "p")
        try await stream.putRecord("x", partitionKey: "p")
        try await stream.putRecord("y", partitionKey: "p")
        await h.settle()
        #expect(await log.batches == [["bad", "x"]])
        await h.advance(by: .seconds(1))
        #expect(await log.batches == [["bad", "x"], ["bad", "x"], ["y"]])
        let record = try #require(await mapping.failureRecords.first)
        #expect(record["requestContext"]?["approximateInvokeCount"] == 2)
        #expect(record["KinesisBatchInfo"]?["batchSize"] == 2)
        let stats = await mapping.statistics
        #expect(stats.recordsDiscarded == 2)
        #expect(stats.recordsSucceeded == 1)
    }

    @Test("ReportBatchItemFailures: the lowest reported sequence number is the checkpoint", arguments: StoreKind.allCases)
    func checkpoint(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let stream = try DataStream(kinesis: "s", runtime: h.runtime)
        let log = BatchLog()
        let calls = AttemptLog()
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "consumer", runtime: h.runtime) { payload, _ in
            await log.record(payload, field: \.kinesisText)
            await calls.record(1)
            if await calls.values.count > 1 { return ["batchItemFailures": []] }
            return [
                "batchItemFailures": [
                    ["itemIdentifier": .string(StreamMappingTests.seq(4))], ["itemIdentifier": .string(StreamMappingTests.seq(2))],
                ]
            ]
        }
        let mapping = try await EventSourceMapping.create(
            source: .stream(stream), function: fn,
            configuration: .init(reportBatchItemFailures: true, startingPosition: .trimHorizon), runtime: h.runtime)
        for i in 1...5 { try await stream.putRecord(String(i), partitionKey: "p") }
        await h.advance(by: .seconds(1))
        #expect(await log.batches == [["1", "2", "3", "4", "5"], ["2", "3", "4", "5"]])
        #expect(await mapping.statistics.recordsSucceeded == 5)
    }

    @Test("MaximumRecordAgeInSeconds: an old batch is given up with RecordAgeExceeded, without responseContext", arguments: StoreKind.allCases)
    func recordAge(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let stream = try DataStream(kinesis: "s", runtime: h.runtime)
        let failures = try Queue(name: "f", runtime: h.runtime)
        let calls = AttemptLog()
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "consumer", runtime: h.runtime) { _, _ in
            await calls.record(1)
            throw Poison()
        }
        let mapping = try await EventSourceMapping.create(
            source: .stream(stream), function: fn,
            configuration: .init(startingPosition: .trimHorizon, maximumRecordAgeInSeconds: 60, onFailure: .queue(failures)),
            runtime: h.runtime)
        try await stream.putRecord("r", partitionKey: "p")
        for _ in 0..<130 { await h.advance(by: .seconds(1)) }
        // Attempts at 0, 1, 3, 7, 15, 31 and 63 s: the last finds the record 63 s old.
        #expect(await calls.values.count == 6)
        let bodies = await failures.messages.map(\.body)
        #expect(
            bodies == [
                #"{"requestContext":{"requestId":"00000000-0000-4000-8000-000000000007","functionArn":"arn:aws:lambda:us-east-1:123456789012:function:consumer","condition":"RecordAgeExceeded","approximateInvokeCount":6},"version":"1.0","timestamp":"2025-11-24T10:01:03.000Z","KinesisBatchInfo":{"shardId":"shardId-000000000000","startSequenceNumber":"000000000000000000001","endSequenceNumber":"000000000000000000001","approximateArrivalOfFirstRecord":"2025-11-24T10:00:00.000Z","approximateArrivalOfLastRecord":"2025-11-24T10:00:00.000Z","batchSize":1,"streamArn":"arn:aws:kinesis:us-east-1:123456789012:stream/s"}}"#
            ])
        #expect(await mapping.statistics.recordsSentToOnFailure == 1)
    }

    @Test("throttling retries without using attempts until the record is too old", arguments: StoreKind.allCases)
    func throttledUntilTooOld(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let stream = try DataStream(kinesis: "s", runtime: h.runtime)
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "consumer", runtime: h.runtime, reservedConcurrency: 0) { _, _ in .null }
        let mapping = try await EventSourceMapping.create(
            source: .stream(stream), function: fn,
            configuration: .init(startingPosition: .trimHorizon, maximumRetryAttempts: 0, maximumRecordAgeInSeconds: 60),
            runtime: h.runtime)
        try await stream.putRecord("r", partitionKey: "p")
        for _ in 0..<70 { await h.advance(by: .seconds(1)) }
        let record = try #require(await mapping.failureRecords.first)
        #expect(record["requestContext"]?["condition"] == "RecordAgeExceeded")
        #expect(record["requestContext"]?["approximateInvokeCount"] == 0)
        #expect(await mapping.statistics.throttles == 6)
    }

    @Test("DynamoDB stream: filters on eventName and images; records as Lambda delivers them", arguments: StoreKind.allCases)
    func dynamoDB(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let stream = try DataStream(dynamoDBTable: "Users", runtime: h.runtime)
        let log = BatchLog()
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "consumer", runtime: h.runtime) { payload, _ in
            await log.record(payload) { $0["dynamodb"]?["Keys"]?["Id"]?["N"]?.stringValue ?? "?" }
            return .null
        }
        let mapping = try await EventSourceMapping.create(
            source: .stream(stream), function: fn,
            configuration: .init(
                filters: [#"{"eventName": ["INSERT"], "dynamodb": {"NewImage": {"status": {"S": ["active"]}}}}"#],
                startingPosition: .trimHorizon),
            runtime: h.runtime)
        try await stream.putChange(eventName: "INSERT", keys: ["Id": ["N": "1"]], newImage: ["Id": ["N": "1"], "status": ["S": "active"]])
        try await stream.putChange(eventName: "INSERT", keys: ["Id": ["N": "2"]], newImage: ["Id": ["N": "2"], "status": ["S": "new"]])
        try await stream.putChange(
            eventName: "MODIFY", keys: ["Id": ["N": "1"]], newImage: ["Id": ["N": "1"], "status": ["S": "active"]],
            oldImage: ["Id": ["N": "1"], "status": ["S": "active"]])
        await h.settle()
        #expect(await log.batches == [["1"]])
        #expect(
            await log.payloads.first?.jsonText
                == #"{"Records":[{"eventID":"a0fbb4edfd155b8635d96371b262d814","eventName":"INSERT","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1","dynamodb":{"ApproximateCreationDateTime":1763978400,"Keys":{"Id":{"N":"1"}},"NewImage":{"Id":{"N":"1"},"status":{"S":"active"}},"SequenceNumber":"000000000000000000001","SizeBytes":56,"StreamViewType":"NEW_AND_OLD_IMAGES"},"eventSourceARN":"arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2025-11-24T10:00:00.000"}]}"#)
        #expect(await mapping.statistics.recordsFilteredOut == 2)
    }

    @Test("starting positions: LATEST skips what came before; AT_TIMESTAMP starts at the first record at or after it", arguments: StoreKind.allCases)
    func startingPositions(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let stream = try DataStream(kinesis: "s", runtime: h.runtime)
        try await stream.putRecord("before", partitionKey: "p")
        await h.advance(by: .seconds(10))
        try await stream.putRecord("at 10 s", partitionKey: "p")
        let latestLog = BatchLog()
        let latest = try h.recorder("latest", latestLog, \.kinesisText)
        let stampLog = BatchLog()
        let stamped = try h.recorder("stamped", stampLog, \.kinesisText)
        _ = try await EventSourceMapping.create(
            source: .stream(stream), function: latest, configuration: .init(startingPosition: .latest), runtime: h.runtime)
        _ = try await EventSourceMapping.create(
            source: .stream(stream), function: stamped,
            configuration: .init(startingPosition: .atTimestamp(Harness.start.addingTimeInterval(5))), runtime: h.runtime)
        try await stream.putRecord("after", partitionKey: "p")
        await h.settle()
        #expect(await latestLog.batches.joined().map { $0 } == ["after"])
        #expect(await stampLog.batches.joined().map { $0 } == ["at 10 s", "after"])
    }

    @Test("ParallelizationFactor: records of one partition key stay in order across concurrent lanes", arguments: StoreKind.allCases)
    func parallelization(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let stream = try DataStream(kinesis: "s", runtime: h.runtime, shardCount: 2)
        let log = BatchLog()
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "consumer", runtime: h.runtime) { payload, _ in
            await log.record(payload) { "\($0["kinesis"]!["partitionKey"]!.stringValue!)=\($0.kinesisText)" }
            return .null
        }
        let mapping = try await EventSourceMapping.create(
            source: .stream(stream), function: fn,
            configuration: .init(batchSize: 3, enabled: false, startingPosition: .trimHorizon, parallelizationFactor: 4),
            runtime: h.runtime)
        for i in 0..<40 { try await stream.putRecord(String(i), partitionKey: "key\(i % 8)") }
        await mapping.setEnabled(true)
        await h.settle()
        let delivered = await log.batches.joined().map { $0 }
        #expect(delivered.count == 40)
        for k in 0..<8 {
            let values = delivered.filter { $0.hasPrefix("key\(k)=") }.map { Int($0.split(separator: "=")[1])! }
            #expect(values == values.sorted())
            #expect(values.count == 5)
        }
        #expect(await log.batches.allSatisfy { $0.count <= 3 })
    }

    @Test("filtering on Kinesis data: decoded JSON matched, non-JSON data dropped, only matches delivered", arguments: StoreKind.allCases)
    func kinesisFiltering(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let stream = try DataStream(kinesis: "s", runtime: h.runtime)
        let log = BatchLog()
        let fn = try h.recorder("consumer", log, \.kinesisText)
        let mapping = try await EventSourceMapping.create(
            source: .stream(stream), function: fn,
            configuration: .init(filters: [#"{"data": {"level": ["error"]}}"#], startingPosition: .trimHorizon),
            runtime: h.runtime)
        try await stream.putRecord(#"{"level":"error","n":1}"#, partitionKey: "p")
        try await stream.putRecord(#"{"level":"info","n":2}"#, partitionKey: "p")
        try await stream.putRecord("level=error", partitionKey: "p")
        try await stream.putRecord(#"{"level":"error","n":4}"#, partitionKey: "p")
        await h.settle()
        #expect(await log.batches.joined().map { $0 } == [#"{"level":"error","n":1}"#, #"{"level":"error","n":4}"#])
        #expect(await mapping.statistics.recordsFilteredOut == 2)
    }

    @Test("records that expire before a paused mapping reads them are counted, not lost silently", arguments: StoreKind.allCases)
    func expiry(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let stream = try DataStream(kinesis: "s", runtime: h.runtime, retentionPeriod: .seconds(3600))
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "consumer", runtime: h.runtime) { _, _ in .null }
        let mapping = try await EventSourceMapping.create(
            source: .stream(stream), function: fn, configuration: .init(enabled: false, startingPosition: .trimHorizon),
            runtime: h.runtime)
        try await stream.putRecord("a", partitionKey: "p")
        await h.advance(by: .seconds(3600))
        try await stream.putRecord("b", partitionKey: "p")
        await mapping.setEnabled(true)
        await h.settle()
        let stats = await mapping.statistics
        #expect(stats.recordsExpired == 1)
        #expect(stats.recordsSucceeded == 1)
        #expect(await stream.expiredRecords.map { String(decoding: $0.data, as: UTF8.self) } == ["a"])
    }

    @Test("changing ParallelizationFactor rebuilds the lanes without skipping a record", arguments: StoreKind.allCases)
    func changeParallelization(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let stream = try DataStream(kinesis: "s", runtime: h.runtime, shardCount: 2)
        let log = BatchLog()
        let fn = try h.recorder("consumer", log, \.kinesisText)
        let mapping = try await EventSourceMapping.create(
            source: .stream(stream), function: fn,
            configuration: .init(batchSize: 4, startingPosition: .trimHorizon, parallelizationFactor: 3), runtime: h.runtime)
        for i in 0..<30 { try await stream.putRecord(String(i), partitionKey: "k\(i % 7)") }
        await h.settle()
        try await mapping.update { $0.parallelizationFactor = 1 }
        for i in 30..<60 { try await stream.putRecord(String(i), partitionKey: "k\(i % 7)") }
        await h.settle()
        let delivered = Set(await log.batches.joined())
        #expect(delivered == Set((0..<60).map(String.init)))
        #expect(await mapping.configuration.parallelizationFactor == 1)
    }
}
