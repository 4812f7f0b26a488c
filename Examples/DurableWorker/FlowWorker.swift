import EventFlow
import EventFlowSQLite
import Foundation

/// The definitions half of the worker: a bus "orders" whose rule "all-orders" sends each shop
/// event's order id (an InputTransformer) to the queue "to-ship" (redrive to "to-ship-dlq"),
/// which the mapping "ship-orders" feeds to the function "ship". Only the handler is code at a
/// restart: the function is registered, `restore()` brings back everything else from the file,
/// and what is still missing (a first start, or a start killed half-way through defining) is
/// created and printed as "defined KIND NAME".
enum FlowWorker {
    /// Puts the events "e-FROM" ... "e-(TO-1)" on the bus, printing "put e-N" once its message
    /// is in the queue, then works until the queue is empty ("idle"). "ship" prints
    /// "shipped e-N" for each message it is given.
    static func run(from: Int, to: Int, runtime: EventFlowRuntime) async throws {
        let ship = try LambdaFunction<JSONValue, JSONValue>(name: "ship", runtime: runtime) { payload, _ in
            for r in payload["Records"]?.arrayValue ?? [] {
                let body = try JSONParser.parse(r["body"]?.stringValue ?? "")
                say("shipped \(body["order"]?.stringValue ?? "?")")
            }
            return .null
        }
        let report = try await runtime.restore()
        say("restored \(report.restored.joined(separator: ", "))")
        let (bus, queue) = try await define(ship, runtime)
        for n in from..<to {
            let response = try await bus.putEvents([
                PutEventsEntry(source: "shop", detailType: "order", detail: #"{"id":"e-\#(n)"}"#)
            ])
            guard case .accepted(let id)? = response.entries.first else {
                throw FlowError("event e-\(n) was not accepted: \(response)")
            }
            // Bus history is not stored yet: an event counts once its message is in the queue.
            while !runtime.activity.entries(for: id).contains(where: { $0.kind == .delivered && $0.target == queue.arn }) {
                try await Task.sleep(for: .milliseconds(1))
            }
            say("put e-\(n)")
        }
        while await queue.approximateNumberOfMessages > 0 { try await Task.sleep(for: .milliseconds(10)) }
        say("idle")
    }

    /// Looks each resource up and creates the ones `restore()` did not bring back.
    private static func define(_ ship: LambdaFunction<JSONValue, JSONValue>, _ runtime: EventFlowRuntime) async throws -> (EventBus, Queue) {
        func queue(_ name: String, redrive: Queue.RedrivePolicy?) throws -> Queue {
            if let q = runtime.queue(named: name) { return q }
            let q = try Queue(name: name, runtime: runtime, visibilityTimeout: .milliseconds(500), redrivePolicy: redrive)
            say("defined queue \(name)")
            return q
        }
        let dlq = try queue("to-ship-dlq", redrive: nil)
        let toShip = try queue("to-ship", redrive: .init(deadLetterQueue: dlq, maxReceiveCount: 10))
        let bus: EventBus
        if let b = runtime.bus(named: "orders") { bus = b } else {
            bus = try EventBus(name: "orders", runtime: runtime)
            say("defined event bus orders")
        }
        if await bus.rule("all-orders") == nil {
            try await bus.putRule(
                "all-orders", pattern: #"{"source":["shop"]}"#,
                targets: [Target(id: "ship", .queue(toShip), input: .transformer(pathsMap: ["id": "$.detail.id"], template: #"{"order":"<id>"}"#))])
            say("defined rule orders/all-orders")
        }
        if await !runtime.eventSourceMappings.contains(where: { $0.uuid == "ship-orders" }) {
            _ = try await EventSourceMapping.create(
                source: .queue(toShip), function: ship, configuration: .init(batchSize: 5), uuid: "ship-orders", runtime: runtime)
            say("defined event source mapping ship-orders")
        }
        return (bus, toShip)
    }
}

struct FlowError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
