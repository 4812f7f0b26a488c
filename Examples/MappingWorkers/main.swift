import EventFlow
import EventFlowTesting
import Foundation

// Two event source mappings on virtual time:
//  1. an SQS-style worker reporting partial batch failures, with a redrive policy that moves
//     the message that keeps failing to a dead-letter queue;
//  2. a Kinesis-style consumer with bisect on error that isolates one poison record and sends
//     its batch info to an on-failure queue.
let runtime = EventFlowRuntime.testing()

func run(for seconds: Int) async { await runtime.advance(by: .seconds(Int64(seconds))) }

// 1. The SQS worker.
let deadLetters = try Queue(name: "orders-dlq", runtime: runtime)
let orders = try Queue(
    name: "orders", runtime: runtime, visibilityTimeout: .seconds(30),
    redrivePolicy: .init(deadLetterQueue: deadLetters, maxReceiveCount: 3))
let worker = try LambdaFunction<JSONValue, JSONValue>(name: "order-worker", runtime: runtime) { batch, _ in
    let failed = (batch["Records"]?.arrayValue ?? []).filter { $0["body"]?.stringValue?.contains("\"qty\":0") == true }
    return ["batchItemFailures": .array(failed.map { ["itemIdentifier": $0["messageId"]!] })]
}
let orderMapping = try await EventSourceMapping.create(
    source: .queue(orders), function: worker,
    configuration: .init(
        batchSize: 10, enabled: false, filters: [#"{"body": {"type": ["order"]}}"#], reportBatchItemFailures: true),
    runtime: runtime)
// Queued before polling starts, so the first batch holds all of them (as it would once a
// mapping catches up with a backlog), and every run prints the same.
for (i, qty) in [2, 1, 0, 5].enumerated() { try await orders.send(#"{"type":"order","id":\#(i),"qty":\#(qty)}"#) }
try await orders.send(#"{"type":"heartbeat"}"#)
await orderMapping.setEnabled(true)
await run(for: 120)

print("== orders: \(await orderMapping.statistics)")
for m in await deadLetters.messages { print("dead letter: \(m.body)") }

// 2. The stream consumer.
let clicks = try DataStream(kinesis: "clicks", runtime: runtime)
let streamFailures = try Queue(name: "clicks-failures", runtime: runtime)
let consumer = try LambdaFunction<JSONValue, JSONValue>(name: "click-consumer", runtime: runtime) { batch, _ in
    for record in batch["Records"]?.arrayValue ?? [] {
        let data = Data(base64Encoded: record["kinesis"]?["data"]?.stringValue ?? "") ?? Data()
        if String(decoding: data, as: UTF8.self).contains("poison") { throw FunctionError(type: "BadRecord", "cannot parse") }
    }
    return .null
}
let clickMapping = try await EventSourceMapping.create(
    source: .stream(clicks), function: consumer,
    configuration: .init(
        enabled: false, startingPosition: .trimHorizon, bisectBatchOnFunctionError: true, maximumRetryAttempts: 1,
        onFailure: .queue(streamFailures)),
    runtime: runtime)
for i in 1...8 { try await clicks.putRecord(i == 6 ? "poison" : #"{"click":\#(i)}"#, partitionKey: "user-\(i)") }
await clickMapping.setEnabled(true)
await run(for: 10)

print("== clicks: \(await clickMapping.statistics)")
for m in await streamFailures.messages { print("on-failure: \(m.body)") }
