import EventFlow
import EventFlowSQLite
import Foundation
import Synchronization

/// The stream half of the worker: a Kinesis stream "clicks" (2 shards) read by the mapping
/// "clicks-tally" (batches of 10, bisect on error, no retries, on-failure queue "clicks-failed")
/// into the function "tally". Records "r-N" with N % 23 == 5 always fail; any batch also fails
/// one time in five at random (seeded), so good records too may end in an on-failure record.
enum StreamWorker {
    static let mappingId = "clicks-tally"

    static func isPoison(_ name: String) -> Bool { (Int(name.dropFirst(2)) ?? 0) % 23 == 5 }

    /// Puts "r-FROM" ... "r-(TO-1)" (printing "put r-N" once each is stored) while the mapping
    /// works, then works until every record is behind its shard's checkpoint ("idle").
    static func run(from: Int, to: Int, seed: UInt64, runtime: EventFlowRuntime, storage: any RuntimeStorage) async throws {
        let (stream, failures) = try resources(runtime)
        let rng = Mutex(seed)
        let tally = try LambdaFunction<JSONValue, JSONValue>(name: "tally", runtime: runtime) { payload, _ in
            let records = (payload["Records"]?.arrayValue ?? []).map { r in
                (name: String(decoding: Data(base64Encoded: r["kinesis"]?["data"]?.stringValue ?? "") ?? Data(), as: UTF8.self),
                    sequence: r["kinesis"]?["sequenceNumber"]?.stringValue ?? "?")
            }
            let unlucky = rng.withLock { state in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return (state >> 33) % 5 == 0
            }
            if unlucky || records.contains(where: { isPoison($0.name) }) { throw FunctionError("declined \(records.count) records") }
            for r in records { say("ok \(r.name) \(r.sequence)") }
            return .null
        }
        _ = try await EventSourceMapping.create(
            source: .stream(stream), function: tally,
            configuration: .init(
                batchSize: 10, startingPosition: .trimHorizon, bisectBatchOnFunctionError: true, maximumRetryAttempts: 0,
                onFailure: .queue(failures)),
            uuid: mappingId, runtime: runtime)
        for n in from..<to {
            try await stream.putRecord("r-\(n)", partitionKey: "k\(n % 5)")
            say("put r-\(n)")
        }
        while true {
            let checkpoints = try storage.checkpoints.checkpoints(mapping: mappingId)
            let behind = await stream.records.allSatisfy { r in
                (checkpoints[Int(r.shardId.dropFirst(8))!] ?? 0) > Int(r.sequenceNumber)!
            }
            if behind { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        say("idle")
    }

    /// Prints "record NAME SEQUENCE" for every record of the stream and "failed NAME SEQUENCE"
    /// for every record an on-failure record covers (one line per on-failure record covering it).
    static func report(runtime: EventFlowRuntime) async throws {
        let (stream, failures) = try resources(runtime)
        let records = await stream.records
        for r in records { say("record \(String(decoding: r.data, as: UTF8.self)) \(r.sequenceNumber)") }
        for m in await failures.messages {
            let info = try JSONParser.parse(m.body)["KinesisBatchInfo"]!
            let shard = info["shardId"]!.stringValue!
            let range = info["startSequenceNumber"]!.stringValue!...info["endSequenceNumber"]!.stringValue!
            for r in records where r.shardId == shard && range.contains(r.sequenceNumber) {
                say("failed \(String(decoding: r.data, as: UTF8.self)) \(r.sequenceNumber)")
            }
        }
    }

    private static func resources(_ runtime: EventFlowRuntime) throws -> (DataStream, Queue) {
        (try DataStream(kinesis: "clicks", runtime: runtime, shardCount: 2), try Queue(name: "clicks-failed", runtime: runtime))
    }
}
