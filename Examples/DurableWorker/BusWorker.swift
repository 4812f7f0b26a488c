import EventFlow
import EventFlowSQLite
import Foundation

/// The bus half of the worker: a bus "shop" whose rule "all" sends every event to the queue
/// "bus-q" and invokes the function "note" asynchronously (its success records go to the queue
/// "noted"). PutEvents answers once its events are stored; a kill before they are routed leaves
/// them stored, and the next start routes them again (`resumeStoredWork()`).
enum BusWorker {
    /// Puts events {"n": FROM} ... {"n": TO-1}, five a request, printing "accepted ID N" for each
    /// accepted entry, then works until no event and no invocation is pending ("idle").
    static func run(from: Int, to: Int, runtime: EventFlowRuntime, storage: any RuntimeStorage) async throws {
        let noted = try Queue(name: "noted", runtime: runtime)
        let busQueue = try Queue(name: "bus-q", runtime: runtime)
        let note = try LambdaFunction<JSONValue, JSONValue>(name: "note", runtime: runtime) { _, _ in .null }
        try await note.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(noted)))
        let bus = try EventBus(name: "shop", runtime: runtime)
        try await bus.putRule(
            "all", pattern: #"{"source":["shop"]}"#, targets: [Target(id: "q", .queue(busQueue)), Target(id: "f", .function(note))])
        await runtime.resumeStoredWork()
        for start in stride(from: from, to: to, by: 5) {
            let numbers = Array(start..<min(start + 5, to))
            let response = try await bus.putEvents(
                numbers.map { PutEventsEntry(source: "shop", detailType: "order", detail: #"{"n":\#($0)}"#) })
            for (n, entry) in zip(numbers, response.entries) {
                guard case .accepted(let id) = entry else { throw FlowError("event \(n) was not accepted: \(entry)") }
                say("accepted \(id) \(n)")
            }
        }
        while try !storage.busEvents.busesWithPending().isEmpty || storage.invocations.pendingCount(function: "note") > 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        say("idle")
    }

    /// Prints "queue ID" for each event in "bus-q" and "function ID" for each success record in
    /// "noted" (the event id of its request payload).
    static func report(runtime: EventFlowRuntime) async throws {
        let busQueue = try Queue(name: "bus-q", runtime: runtime), noted = try Queue(name: "noted", runtime: runtime)
        for m in await busQueue.messages {
            say("queue \(try JSONParser.parse(m.body)["id"]?.stringValue ?? "?")")
        }
        for m in await noted.messages {
            say("function \(try JSONParser.parse(m.body)["requestPayload"]?["id"]?.stringValue ?? "?")")
        }
    }
}
