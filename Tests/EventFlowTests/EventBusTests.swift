import EventFlow
import Foundation
import Testing

@Suite("Event bus")
struct EventBusTests {
    @Test("PutEvents fills in the envelope and answers per entry, in order")
    func putEvents() async throws {
        let h = Harness()
        let bus = try EventBus(name: "orders", runtime: h.runtime)
        let response = try await bus.putEvents([
            PutEventsEntry(source: "com.shop", detailType: "Order Placed", detail: #"{"orderId":"o-1"}"#, resources: ["arn:x"]),
            PutEventsEntry(source: nil, detailType: "Order Placed", detail: "{}"),
            PutEventsEntry(source: "com.shop", detailType: nil, detail: "{}"),
            PutEventsEntry(source: "com.shop", detailType: "x", detail: nil),
            PutEventsEntry(source: "com.shop", detailType: "x", detail: "NotJSON"),
            PutEventsEntry(source: "com.shop", detailType: "x", detail: "[]"),
        ])
        #expect(response.failedEntryCount == 5)
        #expect(
            response.entries == [
                .accepted(eventId: "00000000-0000-4000-8000-000000000001"),
                .failed(errorCode: "InvalidArgument", errorMessage: "Parameter Source is not valid. Reason: Source is a required argument."),
                .failed(errorCode: "InvalidArgument", errorMessage: "Parameter DetailType is not valid. Reason: DetailType is a required argument."),
                .failed(errorCode: "InvalidArgument", errorMessage: "Parameter Detail is not valid. Reason: Detail is a required argument."),
                .failed(errorCode: "MalformedDetail", errorMessage: "Detail is malformed."),
                .failed(errorCode: "MalformedDetail", errorMessage: "Detail is malformed."),
            ])
        #expect(
            await bus.accepted.map(\.jsonText) == [
                #"{"version":"0","id":"00000000-0000-4000-8000-000000000001","detail-type":"Order Placed","source":"com.shop","account":"123456789012","time":"2025-11-24T10:00:00Z","region":"us-east-1","resources":["arn:x"],"detail":{"orderId":"o-1"}}"#
            ])
    }

    @Test("whole-request limits: more than 10 entries, too many bytes")
    func limits() async throws {
        let h = Harness()
        let bus = try EventBus(name: "b", runtime: h.runtime, maxRequestBytes: 100)
        let entry = PutEventsEntry(source: "s", detailType: "t", detail: "{}")
        await #expect(
            throws: AWSError(.validation, "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10")
        ) { try await bus.putEvents(Array(repeating: entry, count: 11)) }
        let big = PutEventsEntry(source: "s", detailType: "t", detail: #"{"x":"\#(String(repeating: "y", count: 100))"}"#)
        await #expect(throws: AWSError(.validation, "Total size of the entries in the request is over the limit.")) {
            try await bus.putEvents([big])
        }
    }

    @Test("rules route matching events to their targets with EventBridge input forms")
    func routing() async throws {
        let h = Harness()
        let bus = try EventBus(name: "b", runtime: h.runtime)
        let whole = try Queue(name: "whole", runtime: h.runtime)
        let path = try Queue(name: "path", runtime: h.runtime)
        let templ = try Queue(name: "templ", runtime: h.runtime)
        let seen = Collected()
        try await bus.putRule(
            "big-orders", pattern: #"{"source":["com.shop"],"detail":{"total":[{"numeric":[">=",100]}]}}"#,
            targets: [
                Target(id: "1", .queue(whole)),
                Target(id: "2", .queue(path), input: .path("$.detail.customer")),
                Target(
                    id: "3", .queue(templ),
                    input: .transformer(
                        pathsMap: ["id": "$.detail.orderId", "total": "$.detail.total", "nope": "$.detail.missing"],
                        template: #"{"order":"<id>","total":<total>,"rule":"<aws.events.rule-name>","keep":"<nope>"}"#)),
                Target(id: "4", .handler { await seen.add($0) }, input: .constant(["fixed": true])),
            ])
        _ = try await bus.putEvents([
            PutEventsEntry(source: "com.shop", detailType: "Order", detail: #"{"orderId":"o-9","total":250,"customer":{"tier":"vip"}}"#),
            PutEventsEntry(source: "com.shop", detailType: "Order", detail: #"{"orderId":"o-8","total":50}"#),
        ])
        await h.settle()
        #expect(await whole.messages.count == 1)
        #expect(await path.messages.map(\.body) == [#"{"tier":"vip"}"#])
        #expect(await templ.messages.map(\.body) == [#"{"order":"o-9","total":250,"rule":"big-orders","keep":"<nope>"}"#])
        #expect(await seen.values == [["fixed": true]])
    }

    @Test("rule limits: five targets, valid names, no input transformation for bus targets")
    func ruleLimits() async throws {
        let h = Harness()
        let bus = try EventBus(name: "b", runtime: h.runtime)
        let q = try Queue(name: "q", runtime: h.runtime)
        let six = (0..<6).map { Target(id: "t\($0)", .queue(q)) }
        await #expect(throws: AWSError(.limitExceeded, "The requested resource exceeds the maximum number allowed.")) {
            try await bus.putRule("r", pattern: try EventPattern(#"{"source":["x"]}"#), targets: six)
        }
        await #expect(throws: EventBusError.self) {
            try await bus.putRule("bad name!", pattern: try EventPattern(#"{"source":["x"]}"#))
        }
        let other = try EventBus(name: "other", runtime: h.runtime)
        await #expect(throws: AWSError(.validation, "Event bus rule target does not support target input.")) {
            try await bus.putRule("fwd", pattern: try EventPattern(#"{"source":["x"]}"#), targets: [Target(id: "b", .bus(other), input: .path("$.detail"))])
        }
    }

    @Test("an event bus destination gets source lambda, the result detail-type and [bus, qualified function] resources")
    func busDestination() async throws {
        let h = Harness()
        let bus = try EventBus(name: "results", runtime: h.runtime)
        let fn = try LambdaFunction<Order, Approval>(name: "approve", runtime: h.runtime) { _, _ in Approval(approved: true) }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onSuccess: .bus(bus)))
        _ = try await fn.invoke(.event, Order(orderId: "o", amount: 1))
        await h.settle()
        let events = await bus.accepted
        #expect(events.count == 1)
        let e = try #require(events.first)
        #expect(e["source"] == "lambda")
        #expect(e["detail-type"] == "Lambda Function Invocation Result - Success")
        #expect(
            e["resources"] == [
                "arn:aws:events:us-east-1:123456789012:event-bus/results",
                "arn:aws:lambda:us-east-1:123456789012:function:approve:$LATEST",
            ])
        #expect(e["detail"]?["requestContext"]?["condition"] == "Success")
    }
}

actor Collected {
    var values: [JSONValue] = []
    func add(_ v: JSONValue) { values.append(v) }
}

@Suite("Event bus history")
struct EventBusHistoryTests {
    @Test("the accepted-event history is bounded; routing is not")
    func boundedHistory() async throws {
        let h = Harness()
        let bus = try EventBus(name: "b", runtime: h.runtime)
        let seen = try Queue(name: "seen", runtime: h.runtime)
        try await bus.putRule("all", pattern: #"{"source": ["s"]}"#, targets: [Target(id: "q", .queue(seen))])
        await bus.setAcceptedHistoryLimit(3)
        for i in 0..<7 {
            _ = try await bus.putEvents([PutEventsEntry(source: "s", detailType: "t", detail: #"{"n":\#(i)}"#)])
        }
        await h.settle()
        let kept = await bus.accepted.compactMap { $0["detail"]?["n"] }
        #expect(kept == [4, 5, 6])
        #expect(await seen.messages.count == 7)
    }
}
