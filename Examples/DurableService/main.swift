import EventFlow
import EventFlowService
import EventFlowSQLite
import Foundation
import Logging
import ServiceLifecycle

// A long-running EventFlow service on a SQLite file: an SQS-style mapping feeds "orders" to the
// "charge" function, whose successes go to "receipts". SIGTERM or SIGINT stops it gracefully:
// polling stops, handlers in flight finish, and whatever is left stays in the file for the
// next start, which restores the queues and the mapping from the file (`restore()`).
//
//   DurableService FILE [feed N]   runs until SIGTERM; "feed N" first sends N orders
//   DurableService FILE count      prints how many orders and receipts the file holds

LoggingSystem.bootstrap { StreamLogHandler.standardOutput(label: $0) }
var logger = Logger(label: "durable-service")
let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: DurableService FILE [feed N | count]\n".utf8))
    exit(2)
}
let storage: SQLiteStorage
do {
    storage = try .sqlite(path: arguments[1])
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(3)
}
let runtime = EventFlowRuntime(logger: logger, storage: storage)

// Handlers are code, registered first; the queues and the mapping come back from the file.
let charge = try LambdaFunction<JSONValue, JSONValue>(name: "charge", runtime: runtime) { batch, context in
    guard let receipts = runtime.queue(named: "receipts") else { throw FunctionError("there is no queue receipts") }
    for record in batch["Records"]?.arrayValue ?? [] {
        try await context.sleep(for: .milliseconds(5))
        try await receipts.send(record["body"]?.stringValue ?? "")
    }
    return .null
}

if arguments.count >= 3 && arguments[2] == "count" {
    // Counting only: the queues without restoring the mapping (it would start polling).
    print("orders \(try await Queue(name: "orders", runtime: runtime, visibilityTimeout: .seconds(5)).approximateNumberOfMessages)")
    print("receipts \(try await Queue(name: "receipts", runtime: runtime).approximateNumberOfMessages)")
    exit(0)
}

// The first start defines what a later start restores.
let report = try await runtime.restore()
logger.info("restored \(report.restored.joined(separator: ", "))")
let orders = try runtime.queue(named: "orders") ?? Queue(name: "orders", runtime: runtime, visibilityTimeout: .seconds(5))
_ = try runtime.queue(named: "receipts") ?? Queue(name: "receipts", runtime: runtime)
if arguments.count >= 4 && arguments[2] == "feed" {
    for n in 0..<Int(arguments[3])! { try await orders.send(#"{"order":\#(n)}"#) }
}
if await runtime.eventSourceMappings.isEmpty {
    _ = try await EventSourceMapping.create(
        source: .queue(orders), function: charge, configuration: .init(batchSize: 10), uuid: "charge-orders", runtime: runtime)
}

let group = ServiceGroup(
    configuration: .init(
        services: [.init(service: EventFlowService(runtime: runtime, shutdownDeadline: .seconds(5)))],
        gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
