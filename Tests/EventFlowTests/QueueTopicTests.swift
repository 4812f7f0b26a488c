import Clocks
import EventFlow
import Foundation
import Testing

@Suite("Queues and topics")
struct QueueTopicTests {
    @Test("receive hides a message for the visibility timeout; delete needs the latest receipt handle")
    func visibility() async throws {
        let h = Harness()
        let q = Queue(name: "q", runtime: h.runtime)
        let id = try await q.send("hello", attributes: ["k": .number("1")])
        let first = await q.receive(max: 10, visibilityTimeout: .seconds(5))
        #expect(first.map(\.messageId) == [id])
        #expect(first.first?.receiveCount == 1)
        #expect(first.first?.attributes == ["k": .number("1")])
        #expect(await q.receive(max: 10).isEmpty)
        await h.advance(by: .seconds(5))
        let second = await q.receive(max: 10)
        #expect(second.first?.receiveCount == 2)
        #expect(await q.delete(receiptHandle: first[0].receiptHandle) == false)
        #expect(await q.delete(receiptHandle: second[0].receiptHandle))
        #expect(await q.messages.isEmpty)
    }

    @Test("long polling returns as soon as a message arrives, or empty when the wait ends")
    func longPolling() async throws {
        let h = Harness()
        let q = Queue(name: "q", runtime: h.runtime)
        let waiting = Task { await q.receive(max: 1, waitTime: .seconds(20)).map(\.body) }
        await h.advance(by: .seconds(3))
        try await q.send("late")
        #expect(await waiting.value == ["late"])
        let empty = Task { await q.receive(max: 1, waitTime: .seconds(20)).map(\.body) }
        await h.advance(by: .seconds(19))
        await h.advance(by: .seconds(1))
        #expect(await empty.value == [])
    }

    @Test("messages over the size limit are refused with SQS's error")
    func tooLong() async throws {
        let h = Harness()
        let q = Queue(name: "q", runtime: h.runtime, maxMessageBytes: 10)
        await #expect(throws: Queue.QueueError.messageTooLong(bytes: 11, limit: 10)) { try await q.send("12345678901") }
        #expect(
            Queue.QueueError.messageTooLong(bytes: 11, limit: 10).description
                == "One or more parameters are invalid. Reason: Message must be shorter than 10 bytes. (11 bytes)")
    }

    @Test("a topic fans every message out to queues, functions and handlers")
    func fanOut() async throws {
        let h = Harness()
        let topic = Topic(name: "news", runtime: h.runtime)
        let q1 = Queue(name: "q1", runtime: h.runtime)
        let q2 = Queue(name: "q2", runtime: h.runtime)
        let received = AttemptLog()
        let fn = LambdaFunction<Order, Approval>(name: "sub", runtime: h.runtime) { order, _ in
            await received.record(order.amount)
            return Approval(approved: true)
        }
        let handled = BatchLog()
        await topic.subscribe(.queue(q1))
        await topic.subscribe(.queue(q2))
        await topic.subscribe(.function(fn))
        await topic.subscribe(.handler { message, _ in await handled.record(["Records": [.string(message)]]) { $0.stringValue! } })
        await topic.publish(#"{"orderId":"o","amount":7}"#)
        await h.settle()
        #expect(await q1.messages.map(\.body) == [#"{"orderId":"o","amount":7}"#])
        #expect(await q2.messages.map(\.body) == [#"{"orderId":"o","amount":7}"#])
        #expect(await received.values == [7])
        #expect(await handled.batches == [[#"{"orderId":"o","amount":7}"#]])
    }

    @Test("a record too large for the destination queue loses its payloads, as Lambda drops them")
    func payloadDropping() async throws {
        let h = Harness()
        let small = Queue(name: "small", runtime: h.runtime, maxMessageBytes: 400)
        let fn = LambdaFunction<Order, Approval>(name: "approve", runtime: h.runtime) { _, _ in Approval(approved: true) }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(small)))
        _ = try await fn.invoke(.event, Order(orderId: String(repeating: "x", count: 300), amount: 1))
        await h.settle()
        #expect(
            await small.messages.map(\.body) == [
                #"{"version":"1.0","timestamp":"2025-11-24T10:00:00.000Z","requestContext":{"requestId":"00000000-0000-4000-8000-000000000001","functionArn":"arn:aws:lambda:us-east-1:123456789012:function:approve:$LATEST","condition":"Success","approximateInvokeCount":1},"responseContext":{"statusCode":200,"executedVersion":"$LATEST"}}"#
            ])
        let outcome = try #require(await fn.outcomes.first)
        #expect(outcome.destinationDelivered == true)
    }

    @Test("a record that cannot be delivered even without payloads is counted as a delivery failure")
    func deliveryFailureCounted() async throws {
        let h = Harness()
        let tiny = Queue(name: "tiny", runtime: h.runtime, maxMessageBytes: 50)
        let fn = LambdaFunction<Order, Approval>(name: "approve", runtime: h.runtime) { _, _ in Approval(approved: true) }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(tiny)))
        _ = try await fn.invoke(.event, Order(orderId: "o", amount: 1))
        await h.settle()
        #expect(await tiny.messages.isEmpty)
        #expect(await fn.outcomes.map(\.destinationDelivered) == [false])
    }

    @Test("a dead-letter topic gets the original event with the error attributes")
    func deadLetterTopic() async throws {
        let h = Harness()
        let topic = Topic(name: "dead", runtime: h.runtime)
        let fn = LambdaFunction<Order, Approval>(name: "charge", runtime: h.runtime, deadLetter: .topic(topic)) { _, _ in
            throw Declined()
        }
        try await fn.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 0))
        _ = try await fn.invoke(.event, Order(orderId: "o-9", amount: 5))
        await h.settle()
        let published = await topic.published
        #expect(published.map(\.message) == [#"{"amount":5,"orderId":"o-9"}"#])
        #expect(
            published.first?.attributes == [
                "RequestID": .string("00000000-0000-4000-8000-000000000001"), "ErrorCode": .number("200"),
                "ErrorMessage": .string("card declined"),
            ])
    }
}
