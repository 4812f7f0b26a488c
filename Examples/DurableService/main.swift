import EventFlow
import EventFlowService
import EventFlowSQLite
import Foundation
import Logging
import ServiceLifecycle

// A long-running EventFlow service on a SQLite file: an SQS-style mapping feeds "orders" to the
// "charge" function, whose successes go to "receipts". SIGTERM or SIGINT stops it gracefully:
// polling stops, handlers in flight finish, and whatever is left stays in the file for the
// next start.
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
let orders = try Queue(name: "orders", runtime: runtime, visibilityTimeout: .seconds(5))
let receipts = try Queue(name: "receipts", runtime: runtime)

if arguments.count >= 3 && arguments[2] == "count" {
    print("orders \(await orders.approximateNumberOfMessages)")
    print("receipts \(await receipts.approximateNumberOfMessages)")
    exit(0)
}
if arguments.count >= 4 && arguments[2] == "feed" {
    for n in 0..<Int(arguments[3])! { try await orders.send(#"{"order":\#(n)}"#) }
}

let charge = try LambdaFunction<JSONValue, JSONValue>(name: "charge", runtime: runtime) { batch, context in
    for record in batch["Records"]?.arrayValue ?? [] {
        try await context.sleep(for: .milliseconds(5))
        try await receipts.send(record["body"]?.stringValue ?? "")
    }
    return .null
}
_ = try await EventSourceMapping.create(
    source: .queue(orders), function: charge, configuration: .init(batchSize: 10), runtime: runtime)

let group = ServiceGroup(
    configuration: .init(
        services: [.init(service: EventFlowService(runtime: runtime, shutdownDeadline: .seconds(5)))],
        gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
