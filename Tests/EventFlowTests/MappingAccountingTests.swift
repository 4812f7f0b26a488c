import Clocks
import EventFlow
import Foundation
import Testing

/// Every record that enters a mapped source ends as exactly one of: succeeded, filtered out,
/// moved to the dead-letter queue, sent to the on-failure destination, discarded with a count,
/// or expired with a count — whatever mix of failures, partial responses and throttles it meets.
@Suite("Event source mapping: no record lost")
struct MappingAccountingTests {
    @Test("SQS under random failures and partial batch responses", arguments: [UInt64(1), 2, 3, 4], StoreKind.allCases)
    func sqs(seed: UInt64, store: StoreKind) async throws {
        let h = try Harness(store: store)
        var rng = OutcomeGuaranteeTests.Rng(state: seed)
        let dlq = try Queue(name: "dlq", runtime: h.runtime)
        let queue = try Queue(
            name: "work", runtime: h.runtime, visibilityTimeout: .seconds(20),
            redrivePolicy: .init(deadLetterQueue: dlq, maxReceiveCount: Int(rng.next() % 4) + 1))
        let dice = FailureDice(seed: seed &* 7919, percent: rng.next() % 60)
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "worker", runtime: h.runtime) { payload, _ in
            let records = payload["Records"]?.arrayValue ?? []
            if await dice.roll() { throw Poison() }
            var failed: [JSONValue] = []
            for r in records where await dice.roll() { failed.append(["itemIdentifier": r["messageId"]!]) }
            return ["batchItemFailures": .array(failed)]
        }
        let mapping = try await EventSourceMapping.create(
            source: .queue(queue), function: fn,
            configuration: .init(
                batchSize: Int(rng.next() % 20) + 1, maximumBatchingWindowInSeconds: Int(rng.next() % 3) + 1,
                filters: [#"{"body": {"keep": [true]}}"#], reportBatchItemFailures: true),
            runtime: h.runtime)
        let sent = 200
        for i in 0..<sent {
            try await queue.send(#"{"n":\#(i),"keep":\#(rng.chance(80))}"#)
            if rng.chance(10) { await h.advance(by: .seconds(Int64(rng.next() % 5))) }
        }
        for _ in 0..<40 { await h.advance(by: .seconds(20)) }
        let stats = await mapping.statistics
        let dead = await dlq.messages.count
        let left = await queue.approximateNumberOfMessages
        #expect(left == 0)
        #expect(stats.recordsSucceeded + stats.recordsFilteredOut + dead + left == sent)
    }

    @Test("streams under random failures, bisect, retries and record age", arguments: [UInt64(1), 2, 3, 4], StoreKind.allCases)
    func streams(seed: UInt64, store: StoreKind) async throws {
        let h = try Harness(store: store)
        var rng = OutcomeGuaranteeTests.Rng(state: seed)
        let stream = try DataStream(kinesis: "s", runtime: h.runtime, shardCount: Int(rng.next() % 3) + 1)
        let failures = try Queue(name: "failures", runtime: h.runtime)
        let dice = FailureDice(seed: seed &* 104_729, percent: rng.next() % 50)
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "consumer", runtime: h.runtime) { payload, _ in
            if await dice.roll() { throw Poison() }
            let records = payload["Records"]?.arrayValue ?? []
            if let r = records.randomElementIf(await dice.roll()) {
                return ["batchItemFailures": [["itemIdentifier": r["kinesis"]!["sequenceNumber"]!]]]
            }
            return .null
        }
        let withDestination = rng.chance(50)
        let mapping = try await EventSourceMapping.create(
            source: .stream(stream), function: fn,
            configuration: .init(
                batchSize: Int(rng.next() % 10) + 1, filters: [#"{"data": {"keep": [true]}}"#],
                reportBatchItemFailures: rng.chance(50), startingPosition: .trimHorizon,
                bisectBatchOnFunctionError: rng.chance(50), maximumRetryAttempts: [0, 1, 3, -1][Int(rng.next() % 4)],
                maximumRecordAgeInSeconds: [60, 300, -1][Int(rng.next() % 3)],
                parallelizationFactor: Int(rng.next() % 3) + 1, onFailure: withDestination ? .queue(failures) : nil),
            runtime: h.runtime)
        let put = 150
        for i in 0..<put {
            try await stream.putRecord(#"{"n":\#(i),"keep":\#(rng.chance(80))}"#, partitionKey: "k\(rng.next() % 10)")
            if rng.chance(10) { await h.advance(by: .seconds(1)) }
        }
        // Long enough for infinite retries to end by age or by the 24-hour retention.
        for _ in 0..<200 { await h.advance(by: .seconds(600)) }
        let s = await mapping.statistics
        #expect(
            s.recordsSucceeded + s.recordsFilteredOut + s.recordsSentToOnFailure + s.recordsDiscarded + s.recordsExpired == put)
        let batchSizes = await failures.messages.compactMap {
            try? JSONParser.parse($0.body)["KinesisBatchInfo"]?["batchSize"]
        }
        let sentToDestination = batchSizes.compactMap { value -> Int? in
            if case .number(let n) = value { return n.intValue }
            return nil
        }.reduce(0, +)
        #expect(sentToDestination == s.recordsSentToOnFailure)
    }
}

extension Array {
    /// A deterministic pick (the middle element) when `condition` holds.
    func randomElementIf(_ condition: Bool) -> Element? { condition && !isEmpty ? self[count / 2] : nil }
}
