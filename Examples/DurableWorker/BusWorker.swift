import EventFlow
import EventFlowSQLite
import Foundation
import Synchronization

/// The bus half of the worker: a bus "shop" whose rule "all" sends every event to the queue
/// "bus-q", invokes the function "note" asynchronously (its success records go to the queue
/// "noted"), hands it to a target that throttles each event's first attempt (its retry puts the
/// event id in "retried"), and sends it to the queue "tiny", too small for any event, whose
/// dead-letter queue "bus-dlq" gets them all. PutEvents answers once its events are stored; a
/// kill before they are routed leaves them stored, one after leaves their targets' deliveries
/// stored, and the next start routes or resumes them (`resumeStoredWork()`).
enum BusWorker {
    /// Refuses each event's first attempt in this process as throttled; later ones note the event
    /// id in `queue`.
    final class ThrottleFirst: AsyncInvocable {
        let functionArn: String
        private let queue: Queue
        private let seen = Mutex<Set<String>>([])

        init(queue: Queue, runtime: EventFlowRuntime) {
            functionArn = "arn:aws:lambda:\(runtime.region):\(runtime.account):function:throttled"
            self.queue = queue
        }

        func invokeAsynchronously(_ payload: JSONValue) async throws(AWSError) {
            let id = payload["id"]?.stringValue ?? "?"
            guard seen.withLock({ !$0.insert(id).inserted }) else { throw AWSError(.tooManyRequests, "Rate Exceeded.") }
            try await queue.send(id)
        }
    }

    /// Puts events {"n": FROM} ... {"n": TO-1}, five a request, printing "accepted ID N" for each
    /// accepted entry, then works until no event and no invocation is pending ("idle").
    static func run(from: Int, to: Int, runtime: EventFlowRuntime, storage: any RuntimeStorage) async throws {
        let noted = try Queue(name: "noted", runtime: runtime)
        let busQueue = try Queue(name: "bus-q", runtime: runtime)
        let note = try LambdaFunction<JSONValue, JSONValue>(name: "note", runtime: runtime) { _, _ in .null }
        try await note.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(noted)))
        let retried = try Queue(name: "retried", runtime: runtime)
        let deadLetters = try Queue(name: "bus-dlq", runtime: runtime)
        let tiny = try Queue(name: "tiny", runtime: runtime, maxMessageBytes: 64)
        let bus = try EventBus(name: "shop", runtime: runtime)
        try await bus.putRule(
            "all", pattern: #"{"source":["shop"]}"#,
            targets: [
                Target(id: "q", .queue(busQueue)), Target(id: "f", .function(note)),
                Target(id: "t", .function(ThrottleFirst(queue: retried, runtime: runtime))),
                Target(id: "d", .queue(tiny), deadLetterConfig: .init(deadLetters)),
            ])
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

    /// Prints "queue ID" for each event in "bus-q", "function ID" for each success record in
    /// "noted" (the event id of its request payload), "retried ID" for each id in "retried" and
    /// "dead ID" for each event in "bus-dlq".
    static func report(runtime: EventFlowRuntime) async throws {
        let busQueue = try Queue(name: "bus-q", runtime: runtime), noted = try Queue(name: "noted", runtime: runtime)
        for m in try await Queue(name: "retried", runtime: runtime).messages { say("retried \(m.body)") }
        for m in try await Queue(name: "bus-dlq", runtime: runtime).messages {
            say("dead \(try JSONParser.parse(m.body)["id"]?.stringValue ?? "?")")
        }
        for m in await busQueue.messages {
            say("queue \(try JSONParser.parse(m.body)["id"]?.stringValue ?? "?")")
        }
        for m in await noted.messages {
            say("function \(try JSONParser.parse(m.body)["requestPayload"]?["id"]?.stringValue ?? "?")")
        }
    }
}
