import Clocks
import EventFlow
import Foundation
import Testing

@Suite("Asynchronous invocation")
struct AsyncInvocationTests {
    @Test("success: 202 at once, then the record on the success queue, exactly as AWS writes it", arguments: StoreKind.allCases)
    func success(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let ok = try Queue(name: "ok", runtime: h.runtime)
        let fn = try LambdaFunction<Order, Approval>(name: "approve", runtime: h.runtime) { order, _ in
            Approval(approved: order.amount < 500)
        }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(ok)))
        let result = try await fn.invoke(.event, Order(orderId: "o-1", amount: 120))
        #expect(result == InvokeResult(statusCode: 202))
        await h.settle()
        let bodies = await ok.messages.map(\.body)
        #expect(
            bodies == [
                #"{"version":"1.0","timestamp":"2025-11-24T10:00:00.000Z","requestContext":{"requestId":"00000000-0000-4000-8000-000000000001","functionArn":"arn:aws:lambda:us-east-1:123456789012:function:approve:$LATEST","condition":"Success","approximateInvokeCount":1},"requestPayload":{"amount":120,"orderId":"o-1"},"responseContext":{"statusCode":200,"executedVersion":"$LATEST"},"responsePayload":{"approved":true}}"#
            ])
        let outcomes = await fn.outcomes
        #expect(outcomes.map(\.condition) == ["Success"])
    }

    @Test("failure: retries after 60 s and 120 s, then RetriesExhausted to the destination and the DLQ", arguments: StoreKind.allCases)
    func retriesExhausted(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let failed = try Queue(name: "failed", runtime: h.runtime)
        let dlq = try Queue(name: "dlq", runtime: h.runtime)
        let attempts = AttemptLog()
        let fn = try LambdaFunction<Order, Approval>(name: "charge", runtime: h.runtime, deadLetter: .queue(dlq)) { _, ctx in
            await attempts.record(ctx.attempt)
            throw Declined()
        }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onFailure: .queue(failed)))
        _ = try await fn.invoke(.event, Order(orderId: "o-2", amount: 900))
        await h.settle()
        #expect(await attempts.values == [1])
        await h.advance(by: .seconds(59))
        #expect(await attempts.values == [1])
        await h.advance(by: .seconds(1))
        #expect(await attempts.values == [1, 2])
        await h.advance(by: .seconds(119))
        #expect(await attempts.values == [1, 2])
        #expect(await failed.messages.isEmpty)
        await h.advance(by: .seconds(1))
        #expect(await attempts.values == [1, 2, 3])
        let record = await failed.messages.map(\.body)
        #expect(
            record == [
                #"{"version":"1.0","timestamp":"2025-11-24T10:03:00.000Z","requestContext":{"requestId":"00000000-0000-4000-8000-000000000001","functionArn":"arn:aws:lambda:us-east-1:123456789012:function:charge:$LATEST","condition":"RetriesExhausted","approximateInvokeCount":3},"requestPayload":{"amount":900,"orderId":"o-2"},"responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},"responsePayload":{"errorMessage":"card declined","errorType":"Declined","stackTrace":[]}}"#
            ])
        let dead = await dlq.messages
        #expect(dead.map(\.body) == [#"{"amount":900,"orderId":"o-2"}"#])
        #expect(
            dead.first?.attributes == [
                "RequestID": .string("00000000-0000-4000-8000-000000000001"), "ErrorCode": .number("200"),
                "ErrorMessage": .string("card declined"),
            ])
        #expect(await fn.outcomes.map(\.condition) == ["RetriesExhausted"])
    }

    @Test("maximum event age 60: one attempt, then EventAgeExceeded at once (the look-ahead)", arguments: StoreKind.allCases)
    func eventAge60(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let failed = try Queue(name: "failed", runtime: h.runtime)
        let fn = try LambdaFunction<Order, Approval>(name: "f", runtime: h.runtime) { _, _ in throw FunctionError("nope") }
        try await fn.putEventInvokeConfig(EventInvokeConfig(maximumEventAgeInSeconds: 60, onFailure: .queue(failed)))
        _ = try await fn.invoke(.event, Order(orderId: "o", amount: 1))
        await h.settle()
        let records = try await failed.messages.map { try JSONParser.parse($0.body) }
        #expect(records.count == 1)
        #expect(records.first?["requestContext"]?["condition"] == "EventAgeExceeded")
        #expect(records.first?["requestContext"]?["approximateInvokeCount"] == 1)
        #expect(records.first?["responseContext"]?["functionError"] == "Handled")
        #expect(records.first?["responsePayload"] == ["errorMessage": "nope", "errorType": "Error", "stackTrace": []])
    }

    @Test("maximum event age 90: two attempts, then EventAgeExceeded", arguments: StoreKind.allCases)
    func eventAge90(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let failed = try Queue(name: "failed", runtime: h.runtime)
        let fn = try LambdaFunction<Order, Approval>(name: "f", runtime: h.runtime) { _, _ in throw Declined() }
        try await fn.putEventInvokeConfig(EventInvokeConfig(maximumEventAgeInSeconds: 90, onFailure: .queue(failed)))
        _ = try await fn.invoke(.event, Order(orderId: "o", amount: 1))
        await h.advance(by: .seconds(60))
        let records = try await failed.messages.map { try JSONParser.parse($0.body) }
        #expect(records.count == 1)
        #expect(records.first?["requestContext"]?["condition"] == "EventAgeExceeded")
        #expect(records.first?["requestContext"]?["approximateInvokeCount"] == 2)
        #expect(records.first?["timestamp"] == "2025-11-24T10:01:00.000Z")
    }

    @Test("retries 0: one attempt, RetriesExhausted with count 1", arguments: StoreKind.allCases)
    func noRetries(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let failed = try Queue(name: "failed", runtime: h.runtime)
        let fn = try LambdaFunction<Order, Approval>(name: "f", runtime: h.runtime) { _, _ in throw Declined() }
        try await fn.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 0, onFailure: .queue(failed)))
        _ = try await fn.invoke(.event, Order(orderId: "o", amount: 1))
        await h.settle()
        let record = try await failed.messages.map { try JSONParser.parse($0.body) }.first
        #expect(record?["requestContext"]?["condition"] == "RetriesExhausted")
        #expect(record?["requestContext"]?["approximateInvokeCount"] == 1)
    }

    @Test("reserved concurrency 0: ZeroReservedConcurrency, count 0, no response fields", arguments: StoreKind.allCases)
    func zeroReservedConcurrency(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let failed = try Queue(name: "failed", runtime: h.runtime)
        let fn = try LambdaFunction<Order, Approval>(name: "off", runtime: h.runtime, reservedConcurrency: 0) { _, _ in
            Approval(approved: true)
        }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onFailure: .queue(failed)))
        _ = try await fn.invoke(.event, Order(orderId: "o", amount: 1))
        await h.settle()
        #expect(
            await failed.messages.map(\.body) == [
                #"{"version":"1.0","timestamp":"2025-11-24T10:00:00.000Z","requestContext":{"requestId":"00000000-0000-4000-8000-000000000001","functionArn":"arn:aws:lambda:us-east-1:123456789012:function:off:$LATEST","condition":"ZeroReservedConcurrency","approximateInvokeCount":0},"requestPayload":{"amount":1,"orderId":"o"}}"#
            ])
    }

    @Test("synchronous invocation returns the result and never triggers destinations", arguments: StoreKind.allCases)
    func synchronous(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let q = try Queue(name: "q", runtime: h.runtime)
        let fn = try LambdaFunction<Order, Approval>(name: "f", runtime: h.runtime) { o, _ in
            if o.amount > 100 { throw FunctionError(type: "TooMuch", "over limit") }
            return Approval(approved: true)
        }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(q), onFailure: .queue(q)))
        let ok = try await fn.invoke(.requestResponse, Order(orderId: "a", amount: 5))
        #expect(ok == InvokeResult(statusCode: 200, payload: ["approved": true], executedVersion: "$LATEST"))
        let bad = try await fn.invoke(.requestResponse, Order(orderId: "b", amount: 500))
        #expect(bad.functionError == "Handled")
        #expect(bad.payload == ["errorMessage": "over limit", "errorType": "TooMuch", "stackTrace": []])
        await h.settle()
        #expect(await q.messages.isEmpty)
        #expect(try await fn.invoke(.dryRun, Order(orderId: "c", amount: 1)).statusCode == 204)
    }

    @Test("an Event payload over the limit (1 MB by default, settable) is rejected by Invoke itself", arguments: StoreKind.allCases)
    func payloadTooLarge(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let fn = try LambdaFunction<Order, Approval>(name: "f", runtime: h.runtime) { _, _ in Approval(approved: true) }
        #expect(await fn.maxAsyncPayloadBytes == 1_048_576)
        let big = Order(orderId: String(repeating: "x", count: 1_048_576), amount: 1)
        await #expect(throws: AWSError(.requestEntityTooLarge, "1048601 byte payload is too large for the Event invocation type (limit 1048576 bytes)")) {
            try await fn.invoke(.event, big)
        }
        let small = try LambdaFunction<Order, Approval>(name: "g", runtime: h.runtime, maxAsyncPayloadBytes: 262_144) { _, _ in Approval(approved: true) }
        let medium = Order(orderId: String(repeating: "x", count: 262_144), amount: 1)
        await #expect(throws: AWSError(.requestEntityTooLarge, "262169 byte payload is too large for the Event invocation type (limit 262144 bytes)")) {
            try await small.invoke(.event, medium)
        }
        // The same JSON payload through a rule target is refused the same way, and recorded.
        await #expect(throws: AWSError(.requestEntityTooLarge, "262169 byte payload is too large for the Event invocation type (limit 262144 bytes)")) {
            try await small.invokeAsynchronously(["amount": 1, "orderId": .string(String(repeating: "x", count: 262_144))])
        }
        #expect(await small.outcomes.isEmpty)
    }

    @Test("throttled events wait in the queue and start when an execution frees, without using retry attempts", arguments: StoreKind.allCases)
    func throttling(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let done = try Queue(name: "done", runtime: h.runtime)
        let fn = try LambdaFunction<Order, Approval>(name: "slow", runtime: h.runtime, reservedConcurrency: 1, timeout: .seconds(10)) { _, context in
            try await context.sleep(for: .seconds(5))
            return Approval(approved: true)
        }
        try await fn.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 0, onSuccess: .queue(done)))
        _ = try await fn.invoke(.event, Order(orderId: "first", amount: 1))
        _ = try await fn.invoke(.event, Order(orderId: "second", amount: 1))
        for _ in 0..<12 { await h.advance(by: .seconds(1)) }
        let records = try await done.messages.map { try JSONParser.parse($0.body) }
        #expect(records.map { $0["requestPayload"]?["orderId"] } == ["first", "second"])
        // The second waited while the first ran (0–5 s), then ran once, finishing at 10 s.
        #expect(records.map { $0["requestContext"]?["approximateInvokeCount"] } == [1, 1])
        #expect(records.map { $0["timestamp"] } == ["2025-11-24T10:00:05.000Z", "2025-11-24T10:00:10.000Z"])
        #expect(h.runtime.activity.entries(.throttled).map(\.id) == ["00000000-0000-4000-8000-000000000002"])
    }
}

actor AttemptLog {
    var values: [Int] = []
    func record(_ n: Int) { values.append(n) }
}
