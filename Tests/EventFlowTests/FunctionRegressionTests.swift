import EventFlow
import EventFlowTesting
import Foundation
import Testing

/// Each test here failed on the runtime before these Lambda behaviours were modelled.
@Suite("Functions: throttling, timeouts, limits, dead letters and histories as Lambda has them")
struct FunctionRegressionTests {
    @Test("synchronous invocations are throttled like asynchronous ones: TooManyRequestsException, 429", arguments: StoreKind.allCases)
    func synchronousThrottling(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let off = try LambdaFunction<Order, Approval>(name: "off", runtime: h.runtime, reservedConcurrency: 0) { _, _ in
            Approval(approved: true)
        }
        let expected = AWSError(.tooManyRequests, "Rate Exceeded.", reason: "ReservedFunctionConcurrentInvocationLimitExceeded")
        await #expect(throws: expected) { try await off.invoke(.requestResponse, Order(orderId: "o", amount: 1)) }
        #expect(expected.httpStatus == 429)
        // One execution, held by an asynchronous attempt that takes 10 s: a call now is throttled.
        let busy = try LambdaFunction<Order, Approval>(name: "busy", runtime: h.runtime, reservedConcurrency: 1, timeout: .seconds(30)) { o, context in
            if o.orderId == "slow" { try await context.sleep(for: .seconds(10)) }
            return Approval(approved: true)
        }
        _ = try await busy.invoke(.event, Order(orderId: "slow", amount: 1))
        await h.settle()
        await #expect(throws: expected) { try await busy.call(Order(orderId: "now", amount: 1)) }
        await h.advance(by: .seconds(10))
        #expect(try await busy.call(Order(orderId: "later", amount: 1)) == Approval(approved: true))
    }

    @Test("a typed call returns the response or throws the function's error", arguments: StoreKind.allCases)
    func typedCall(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let fn = try LambdaFunction<Order, Approval>(name: "f", runtime: h.runtime) { o, _ in
            guard o.amount < 100 else { throw FunctionError(type: "Limit", "over limit") }
            return Approval(approved: true)
        }
        #expect(try await fn.call(Order(orderId: "a", amount: 1)) == Approval(approved: true))
        await #expect(throws: FunctionError(type: "Limit", "over limit")) { try await fn.call(Order(orderId: "b", amount: 500)) }
        #expect(h.runtime.function(named: "f") != nil)
    }

    @Test("the dead-letter ErrorMessage is cut at a character boundary: at most 1024 bytes, a prefix", arguments: StoreKind.allCases)
    func deadLetterMessageCut(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let dlq = try Queue(name: "dlq", runtime: h.runtime)
        let message = String(repeating: "a", count: 1023) + "é" + String(repeating: "b", count: 10)
        let fn = try LambdaFunction<Order, Approval>(name: "f", runtime: h.runtime, deadLetter: .queue(dlq)) { _, _ in
            throw FunctionError(message)
        }
        try await fn.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 0))
        _ = try await fn.invoke(.event, Order(orderId: "o", amount: 1))
        await h.settle()
        let cut = try #require(await dlq.messages.first?.attributes["ErrorMessage"]?.stringValue)
        #expect(cut == String(repeating: "a", count: 1023))
        #expect(message.hasPrefix(cut))
    }

    @Test("putEvents answers once entries are accepted; targets get them afterwards", arguments: StoreKind.allCases)
    func putEventsDoesNotWait(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let bus = try EventBus(name: "b", runtime: h.runtime)
        let seen = Collected()
        try await bus.putRule("all", pattern: #"{"source":["s"]}"#, targets: [Target(id: "h", .handler { await seen.add($0["detail"]!) })])
        let response = try await bus.putEvents([PutEventsEntry(source: "s", detailType: "t", detail: #"{"n":1}"#)])
        #expect(response == PutEventsResponse(failedEntryCount: 0, entries: [.accepted(eventId: "00000000-0000-4000-8000-000000000001")]))
        #expect(await seen.values.isEmpty)
        await h.settle()
        #expect(await seen.values == [["n": 1]])
    }

    @Test("limits default to 1 MB (async, SQS, PutEvents) and 6 MB (sync), and are settable per runtime", arguments: StoreKind.allCases)
    func limits(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let q = try Queue(name: "q", runtime: h.runtime)
        let bus = try EventBus(name: "b", runtime: h.runtime)
        #expect(q.maxMessageBytes == 1_048_576)
        #expect(bus.maxRequestBytes == 1_048_576)
        let small = EventFlowRuntime.testing(limits: RuntimeLimits(maxAsyncPayloadBytes: 100, maxQueueMessageBytes: 50, maxPutEventsBytes: 70))
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "f", runtime: small) { payload, _ in payload }
        #expect(await fn.maxAsyncPayloadBytes == 100)
        #expect(try Queue(name: "q", runtime: small).maxMessageBytes == 50)
        #expect(try EventBus(name: "b", runtime: small).maxRequestBytes == 70)
        // A resource's own limit wins over the runtime's.
        #expect(try Queue(name: "big", runtime: small, maxMessageBytes: 500).maxMessageBytes == 500)
    }

    @Test("synchronous requests and responses over 6 MB fail as Lambda fails them", arguments: StoreKind.allCases)
    func synchronousLimits(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let echo = try LambdaFunction<JSONValue, JSONValue>(name: "echo", runtime: h.runtime) { payload, _ in
            payload["repeat"] == true ? .string(String(repeating: "x", count: 6_291_456)) : payload
        }
        let big: JSONValue = ["data": .string(String(repeating: "x", count: 6_291_456))]
        await #expect(throws: AWSError(.requestEntityTooLarge, "Request must be smaller than 6291456 bytes for the InvokeFunction operation")) {
            try await echo.invoke(.requestResponse, big)
        }
        let result = try await echo.invoke(.requestResponse, ["repeat": true])
        #expect(result.functionError == "Unhandled")
        #expect(
            result.payload == [
                "errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
                "errorType": "Function.ResponseSizeTooLarge", "stackTrace": [],
            ])
    }

    @Test("outcome histories are bounded and streamed")
    func boundedOutcomes() async throws {
        let runtime = EventFlowRuntime.testing(limits: RuntimeLimits(historyCapacity: 5))
        let h = Harness(runtime: runtime)
        let fn = try LambdaFunction<Int, Int>(name: "f", runtime: runtime) { n, _ in n }
        let stream = await fn.outcomeStream()
        for n in 0..<8 { _ = try await fn.invoke(.event, n) }
        await h.settle()
        #expect(await fn.outcomes.map { $0.record["requestPayload"] } == [3, 4, 5, 6, 7])
        #expect(await fn.outcomeCount == 8)
        var streamed: [JSONValue?] = []
        for await outcome in stream.prefix(8) { streamed.append(outcome.record["requestPayload"]) }
        #expect(streamed == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    actor Flag {
        var value = false
        func set() { value = true }
    }

    @Test("a handler past its timeout ends as an Unhandled error, is retried and recorded, and is cancelled", arguments: StoreKind.allCases)
    func timeouts(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let failed = try Queue(name: "failed", runtime: h.runtime)
        let cancelled = Flag()
        let fn = try LambdaFunction<Order, Approval>(name: "slow", runtime: h.runtime) { _, context in
            do {
                try await context.sleep(for: .seconds(60))
            } catch is CancellationError {
                await cancelled.set()
                throw CancellationError()
            }
            return Approval(approved: true)
        }
        try await fn.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 1, onFailure: .queue(failed)))
        _ = try await fn.invoke(.event, Order(orderId: "o", amount: 1))
        await h.advance(by: .seconds(70))
        #expect(
            await failed.messages.map(\.body) == [
                #"{"version":"1.0","timestamp":"2025-11-24T10:01:06.000Z","requestContext":{"requestId":"00000000-0000-4000-8000-000000000001","functionArn":"arn:aws:lambda:us-east-1:123456789012:function:slow:$LATEST","condition":"RetriesExhausted","approximateInvokeCount":2},"requestPayload":{"amount":1,"orderId":"o"},"responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},"responsePayload":{"errorMessage":"RequestId: 00000000-0000-4000-8000-000000000001 Error: Task timed out after 3.00 seconds","errorType":"Sandbox.Timedout","stackTrace":[]}}"#
            ])
        #expect(await cancelled.value)
        #expect(await h.runtime.scheduledCount == 0)
        #expect(throws: AWSError(.validation, "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900")) {
            _ = try LambdaFunction<Int, Int>(name: "too-long", runtime: h.runtime, timeout: .seconds(901)) { n, _ in n }
        }
    }

    @Test("throttled events are taken as executions free: reserved concurrency 1 and 10,000 events all succeed")
    func throttledBacklog() async throws {
        let h = Harness()
        let fn = try LambdaFunction<Int, Int>(name: "one-at-a-time", runtime: h.runtime, reservedConcurrency: 1) { n, context in
            try await context.sleep(for: .seconds(1))
            return n
        }
        for n in 0..<10_000 { _ = try await fn.invoke(.event, n) }
        await h.advance(by: .seconds(10_001))
        let outcomes = await fn.outcomes
        #expect(outcomes.count == 10_000)
        #expect(outcomes.allSatisfy { $0.condition == "Success" })
        #expect(outcomes.map { $0.record["requestPayload"] } == (0..<10_000).map { .number(JSONNumber($0)) })
        #expect(outcomes.last?.record["timestamp"] == "2025-11-24T12:46:40.000Z")
    }

    @Test("an event dropped with nowhere to go says why, with the last error", arguments: StoreKind.allCases)
    func dropNamesLastError(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let fn = try LambdaFunction<Order, Approval>(name: "f", runtime: h.runtime) { _, _ in throw FunctionError(type: "Nope", "card declined") }
        try await fn.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 0))
        _ = try await fn.invoke(.event, Order(orderId: "o", amount: 1))
        await h.settle()
        #expect(h.runtime.activity.trail(for: "00000000-0000-4000-8000-000000000001") == [
            "2025-11-24T10:00:00.000Z accepted arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST 00000000-0000-4000-8000-000000000001",
            "2025-11-24T10:00:00.000Z attempt arn:aws:lambda:us-east-1:123456789012:function:f 00000000-0000-4000-8000-000000000001 attempt=1 result=Handled reason=card declined",
            "2025-11-24T10:00:00.000Z outcome arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST 00000000-0000-4000-8000-000000000001 result=RetriesExhausted reason=card declined",
            "2025-11-24T10:00:00.000Z dropped arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST 00000000-0000-4000-8000-000000000001 reason=RetriesExhausted, last error: card declined",
        ])
    }
}
