import EventFlow
import EventFlowTesting
import Logging
import Synchronization
import Testing

@Suite("The activity log")
struct ActivityLogTests {
    struct Charge: Codable, Sendable {
        var id: String
        var amount: Int
    }

    @Test("the README's test-kit example: retries on the virtual clock, the outcome's line in the trail")
    func readmeExample() async throws {
        let runtime = EventFlowRuntime.testing()
        let failed = try Queue(name: "failed", runtime: runtime)
        let fn = try LambdaFunction<Charge, Approval>(name: "charge", runtime: runtime) { _, context in
            try await context.sleep(for: .seconds(2))
            throw FunctionError("card declined")
        }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onFailure: .queue(failed)))
        _ = try await fn.invoke(.event, Charge(id: "o-1", amount: 5))
        await runtime.advance(by: .seconds(300))
        #expect(await failed.messages.count == 1)
        #expect(
            runtime.activity.entries(.outcome).map(\.description)
                == ["2025-11-24T10:03:06.000Z outcome arn:aws:lambda:us-east-1:123456789012:function:charge:$LATEST 00000000-0000-4000-8000-000000000001 result=RetriesExhausted reason=card declined"])
    }

    @Test("one event's whole trail: accepted, matched, delivered to a function, attempted, its record delivered")
    func fullTrail() async throws {
        let runtime = EventFlowRuntime.testing()
        let bus = try EventBus(name: "orders", runtime: runtime)
        let done = try Queue(name: "done", runtime: runtime)
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "ship", runtime: runtime) { e, _ in e["detail"] ?? .null }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(done)))
        try await bus.putRule("ship-it", pattern: #"{"source":["shop"]}"#, targets: [Target(id: "fn", .function(fn))])
        let steps = runtime.activity.stream()
        _ = try await bus.putEvents([PutEventsEntry(source: "shop", detailType: "Order", detail: #"{"n":1}"#)])
        await runtime.settle()
        let t = "2025-11-24T10:00:00.000Z"
        let event = "00000000-0000-4000-8000-000000000001"
        let request = "00000000-0000-4000-8000-000000000002"
        let lines = [
            "\(t) accepted arn:aws:events:us-east-1:123456789012:event-bus/orders \(event)",
            "\(t) matched arn:aws:events:us-east-1:123456789012:event-bus/orders \(event) rule=ship-it",
            "\(t) accepted arn:aws:lambda:us-east-1:123456789012:function:ship:$LATEST \(request)",
            "\(t) delivered arn:aws:events:us-east-1:123456789012:rule/orders/ship-it \(event) rule=ship-it target=arn:aws:lambda:us-east-1:123456789012:function:ship",
            "\(t) attempt arn:aws:lambda:us-east-1:123456789012:function:ship \(request) attempt=1 result=Success",
            "\(t) outcome arn:aws:lambda:us-east-1:123456789012:function:ship:$LATEST \(request) result=Success",
            "\(t) accepted arn:aws:sqs:us-east-1:123456789012:done 00000000-0000-4000-8000-000000000003",
            "\(t) delivered arn:aws:lambda:us-east-1:123456789012:function:ship:$LATEST \(request) target=arn:aws:sqs:us-east-1:123456789012:done",
        ]
        #expect(runtime.activity.entries.map(\.description) == lines)
        var streamed: [String] = []
        for await step in steps.prefix(lines.count) { streamed.append(step.description) }
        #expect(streamed == lines)
    }
}

/// Log records kept in memory, for tests that read what the runtime logged.
final class CapturedLogs: Sendable {
    private let records = Mutex<[(level: Logger.Level, message: String, metadata: Logger.Metadata)]>([])

    var all: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] { records.withLock { $0 } }

    func logger(level: Logger.Level) -> Logger {
        var logger = Logger(label: "eventflow") { _ in Handler(sink: self) }
        logger.logLevel = level
        return logger
    }

    struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            sink.records.withLock { $0.append((event.level, "\(event.message)", merged)) }
        }
    }
}

@Suite("Logging: one event followed through the logs")
struct LoggingTests {
    @Test("at debug level every step is logged with metadata naming its bus, rule, function, request id and queue")
    func metadataTrail() async throws {
        let logs = CapturedLogs()
        let runtime = EventFlowRuntime.testing(logger: logs.logger(level: .debug))
        let bus = try EventBus(name: "orders", runtime: runtime)
        let done = try Queue(name: "done", runtime: runtime)
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "ship", runtime: runtime) { e, _ in e["detail"] ?? .null }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(done)))
        try await bus.putRule("ship-it", pattern: #"{"source":["shop"]}"#, targets: [Target(id: "fn", .function(fn))])
        _ = try await bus.putEvents([PutEventsEntry(source: "shop", detailType: "Order", detail: #"{"n":1}"#)])
        await runtime.settle()
        let event: Logger.MetadataValue = "00000000-0000-4000-8000-000000000001"
        let request: Logger.MetadataValue = "00000000-0000-4000-8000-000000000002"
        let expected: [(String, Logger.Metadata)] = [
            ("accepted", ["bus": "orders", "eventId": event]),
            ("matched", ["bus": "orders", "eventId": event, "rule": "ship-it"]),
            ("accepted", ["function": "ship", "qualifier": "$LATEST", "requestId": request]),
            (
                "delivered",
                ["bus": "orders", "eventId": event, "rule": "ship-it", "target": "arn:aws:lambda:us-east-1:123456789012:function:ship"]
            ),
            ("attempt", ["function": "ship", "requestId": request, "attempt": "1", "result": "Success"]),
            ("outcome", ["function": "ship", "qualifier": "$LATEST", "requestId": request, "result": "Success"]),
            ("accepted", ["queue": "done", "messageId": "00000000-0000-4000-8000-000000000003"]),
            (
                "delivered",
                ["function": "ship", "qualifier": "$LATEST", "requestId": request, "target": "arn:aws:sqs:us-east-1:123456789012:done"]
            ),
        ]
        let got = logs.all
        #expect(got.map(\.level) == Array(repeating: .debug, count: expected.count))
        #expect(got.map(\.message) == expected.map(\.0))
        #expect(got.map(\.metadata) == expected.map(\.1))
    }

    @Test("at the default level (info) the steps are not logged")
    func quietByDefault() async throws {
        let logs = CapturedLogs()
        let runtime = EventFlowRuntime.testing(logger: logs.logger(level: .info))
        let q = try Queue(name: "jobs", runtime: runtime)
        try await q.send("x")
        await runtime.settle()
        #expect(logs.all.isEmpty)
    }
}
