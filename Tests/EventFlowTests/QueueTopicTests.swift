import Clocks
import EventFlow
import Foundation
import Testing

@Suite("Queues and topics")
struct QueueTopicTests {
    @Test("receive hides a message for the visibility timeout; delete needs the latest receipt handle")
    func visibility() async throws {
        let h = Harness()
        let q = try Queue(name: "q", runtime: h.runtime)
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
        let q = try Queue(name: "q", runtime: h.runtime)
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
        let q = try Queue(name: "q", runtime: h.runtime, maxMessageBytes: 10)
        await #expect(
            throws: AWSError(.sqsInvalidParameterValue, "One or more parameters are invalid. Reason: Message must be shorter than 10 bytes. (11 bytes)")
        ) { try await q.send("12345678901") }
    }

    @Test("a topic delivers what SNS delivers: notification JSON, raw messages, aws:sns records")
    func fanOut() async throws {
        let h = Harness()
        let topic = try Topic(name: "news", runtime: h.runtime)
        let q1 = try Queue(name: "q1", runtime: h.runtime)
        let q2 = try Queue(name: "q2", runtime: h.runtime)
        let received = Collected()
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "sub", runtime: h.runtime) { event, _ in
            await received.add(event)
            return .null
        }
        let handled = BatchLog()
        let sub1 = await topic.subscribe(.queue(q1))
        await topic.subscribe(.queue(q2, rawMessageDelivery: true))
        let sub3 = await topic.subscribe(.function(fn))
        await topic.subscribe(.handler { message, _ in await handled.record(["Records": [.string(message)]]) { $0.stringValue! } })
        #expect(sub1 == "arn:aws:sns:us-east-1:123456789012:news:00000000-0000-4000-8000-000000000001")
        await topic.publish(#"{"orderId":"o","amount":7}"#, attributes: ["kind": .string("order")])
        await h.settle()
        let url = "https://sns.us-east-1.amazonaws.com"
        #expect(
            await q1.messages.map(\.body) == [
                #"{"Type":"Notification","MessageId":"00000000-0000-4000-8000-000000000005","TopicArn":"arn:aws:sns:us-east-1:123456789012:news","Message":"{\"orderId\":\"o\",\"amount\":7}","Timestamp":"2025-11-24T10:00:00.000Z","SignatureVersion":"1","Signature":"EXAMPLE","SigningCertURL":"\#(url)/SimpleNotificationService-0000000000000000000000000000000.pem","UnsubscribeURL":"\#(url)/?Action=Unsubscribe&SubscriptionArn=\#(sub1)","MessageAttributes":{"kind":{"Type":"String","Value":"order"}}}"#
            ])
        #expect(await q1.messages.first?.attributes == [:])
        #expect(await q2.messages.map(\.body) == [#"{"orderId":"o","amount":7}"#])
        #expect(await q2.messages.first?.attributes == ["kind": .string("order")])
        #expect(
            await received.values.map(\.jsonText) == [
                #"{"Records":[{"EventSource":"aws:sns","EventVersion":"1.0","EventSubscriptionArn":"\#(sub3)","Sns":{"Type":"Notification","MessageId":"00000000-0000-4000-8000-000000000005","TopicArn":"arn:aws:sns:us-east-1:123456789012:news","Subject":null,"Message":"{\"orderId\":\"o\",\"amount\":7}","Timestamp":"2025-11-24T10:00:00.000Z","SignatureVersion":"1","Signature":"EXAMPLE","SigningCertUrl":"\#(url)/SimpleNotificationService-0000000000000000000000000000000.pem","UnsubscribeUrl":"\#(url)/?Action=Unsubscribe&SubscriptionArn=\#(sub3)","MessageAttributes":{"kind":{"Type":"String","Value":"order"}}}}]}"#
            ])
        #expect(await handled.batches == [[#"{"orderId":"o","amount":7}"#]])
    }

    @Test("a record too large for the destination queue loses its payloads, as Lambda drops them")
    func payloadDropping() async throws {
        let h = Harness()
        let small = try Queue(name: "small", runtime: h.runtime, maxMessageBytes: 400)
        let fn = try LambdaFunction<Order, Approval>(name: "approve", runtime: h.runtime) { _, _ in Approval(approved: true) }
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
        let tiny = try Queue(name: "tiny", runtime: h.runtime, maxMessageBytes: 50)
        let fn = try LambdaFunction<Order, Approval>(name: "approve", runtime: h.runtime) { _, _ in Approval(approved: true) }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(tiny)))
        _ = try await fn.invoke(.event, Order(orderId: "o", amount: 1))
        await h.settle()
        #expect(await tiny.messages.isEmpty)
        #expect(await fn.outcomes.map(\.destinationDelivered) == [false])
    }

    @Test("a dead-letter topic gets the original event with the error attributes")
    func deadLetterTopic() async throws {
        let h = Harness()
        let topic = try Topic(name: "dead", runtime: h.runtime)
        let fn = try LambdaFunction<Order, Approval>(name: "charge", runtime: h.runtime, deadLetter: .topic(topic)) { _, _ in
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
