import EventFlow
import EventFlowTesting
import Testing

@Suite("Creating a resource that exists: AWS's answer per kind")
struct CreateAgainTests {
    @Test("Queue.create with the same attributes returns the registered queue, its messages and redrive policy included")
    func sameQueue() async throws {
        let rt = EventFlowRuntime.testing()
        let dlq = try Queue.create(name: "jobs-dlq", runtime: rt)
        let jobs = try Queue.create(
            name: "jobs", runtime: rt, maxMessageBytes: 2048, visibilityTimeout: .seconds(45), messageRetentionPeriod: .seconds(3600),
            redrivePolicy: .init(deadLetterQueue: dlq, maxReceiveCount: 3))
        try await jobs.send("first")
        let again = try Queue.create(
            name: "jobs", runtime: rt, maxMessageBytes: 2048, visibilityTimeout: .seconds(45), messageRetentionPeriod: .seconds(3600),
            redrivePolicy: .init(deadLetterQueue: dlq, maxReceiveCount: 3))
        #expect(again === jobs)
        #expect(await again.messages.map(\.body) == ["first"])
        // Attributes not given are not compared, as SQS compares only those a request includes.
        #expect(try Queue.create(name: "jobs", runtime: rt) === jobs)
        #expect(try Queue.create(name: "jobs", runtime: rt, visibilityTimeout: .seconds(45)) === jobs)
        #expect(try Queue.create(name: "jobs-dlq", runtime: rt) === dlq)
        #expect(rt.registry.names(.queue) == ["jobs", "jobs-dlq"])
    }

    @Test(
        "Queue.create with one attribute different is QueueAlreadyExists naming it, and the queue keeps its attributes",
        arguments: [
            ("MaximumMessageSize", 1024, Duration.seconds(45), Duration.seconds(3600), 3),
            ("VisibilityTimeout", 2048, .seconds(46), .seconds(3600), 3),
            ("MessageRetentionPeriod", 2048, .seconds(45), .seconds(7200), 3),
            ("RedrivePolicy", 2048, .seconds(45), .seconds(3600), 4),
            // Two differ: SQS names one; EventFlow the first in SQS's documented order.
            ("MessageRetentionPeriod", 2048, .seconds(1), .seconds(1), 3),
        ] as [(String, Int, Duration, Duration, Int)])
    func differentQueue(attribute: String, maxBytes: Int, visibility: Duration, retention: Duration, receives: Int) throws {
        let rt = EventFlowRuntime.testing()
        let dlq = try Queue.create(name: "jobs-dlq", runtime: rt)
        let jobs = try Queue.create(
            name: "jobs", runtime: rt, maxMessageBytes: 2048, visibilityTimeout: .seconds(45), messageRetentionPeriod: .seconds(3600),
            redrivePolicy: .init(deadLetterQueue: dlq, maxReceiveCount: 3))
        #expect(throws: AWSError(.queueAlreadyExists, "A queue already exists with the same name and a different value for attribute \(attribute)")) {
            _ = try Queue.create(
                name: "jobs", runtime: rt, maxMessageBytes: maxBytes, visibilityTimeout: visibility, messageRetentionPeriod: retention,
                redrivePolicy: .init(deadLetterQueue: dlq, maxReceiveCount: receives))
        }
        #expect(rt.queue(named: "jobs") === jobs)
        #expect(jobs.visibilityTimeout == .seconds(45))
        #expect(jobs.maxMessageBytes == 2048)
    }

    @Test("a redrive policy changed with setRedrivePolicy is what Queue.create compares with")
    func changedRedrive() async throws {
        let rt = EventFlowRuntime.testing()
        let dlq = try Queue.create(name: "dlq", runtime: rt)
        let jobs = try Queue.create(name: "jobs", runtime: rt)
        try await jobs.setRedrivePolicy(.init(deadLetterQueue: dlq, maxReceiveCount: 2))
        #expect(try Queue.create(name: "jobs", runtime: rt, redrivePolicy: .init(deadLetterQueue: dlq, maxReceiveCount: 2)) === jobs)
        #expect(throws: AWSError(.queueAlreadyExists, "A queue already exists with the same name and a different value for attribute RedrivePolicy")) {
            _ = try Queue.create(name: "jobs", runtime: rt, redrivePolicy: .init(deadLetterQueue: jobs, maxReceiveCount: 2))
        }
    }

    @Test("Topic.create returns the registered topic with its subscriptions, as SNS CreateTopic answers with its ARN")
    func sameTopic() async throws {
        let rt = EventFlowRuntime.testing()
        let inbox = try Queue(name: "inbox", runtime: rt)
        let news = try Topic.create(name: "news", runtime: rt)
        await news.subscribe(.queue(inbox, rawMessageDelivery: true))
        let again = try Topic.create(name: "news", runtime: rt)
        #expect(again === news)
        await again.publish("hello")
        #expect(await inbox.messages.map(\.body) == ["hello"])
    }

    @Test("buses and streams are not idempotent on AWS: creating one again is still the error")
    func notIdempotent() throws {
        let rt = EventFlowRuntime.testing()
        _ = try EventBus(name: "orders", runtime: rt)
        #expect(throws: AWSError(.resourceAlreadyExists, "Event bus orders already exists.")) { _ = try EventBus(name: "orders", runtime: rt) }
        _ = try DataStream(kinesis: "clicks", runtime: rt, shardCount: 2)
        #expect(throws: AWSError(.resourceInUse, "Stream clicks under account 123456789012 already exists.")) {
            _ = try DataStream(kinesis: "clicks", runtime: rt, shardCount: 2)
        }
    }
}
