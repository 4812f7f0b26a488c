import EventFlow
import EventFlowTesting
import Testing

@Suite("Resources by name and ARN")
struct RegistryTests {
    @Test("every resource is found by name and by ARN; a function also by a qualified ARN")
    func lookups() async throws {
        let h = Harness()
        let rt = h.runtime
        let bus = try EventBus(name: "orders", runtime: rt)
        let queue = try Queue(name: "jobs", runtime: rt)
        let topic = try Topic(name: "news", runtime: rt)
        let stream = try DataStream(kinesis: "clicks", runtime: rt)
        let fn = try LambdaFunction<Int, Int>(name: "double", runtime: rt) { n, _ in n * 2 }
        #expect(rt.bus(named: "orders") === bus)
        #expect(rt.bus(arn: "arn:aws:events:us-east-1:123456789012:event-bus/orders") === bus)
        #expect(rt.queue(named: "jobs") === queue)
        #expect(rt.queue(arn: "arn:aws:sqs:us-east-1:123456789012:jobs") === queue)
        #expect(rt.topic(named: "news") === topic)
        #expect(rt.topic(arn: "arn:aws:sns:us-east-1:123456789012:news") === topic)
        #expect(rt.stream(named: "clicks") === stream)
        #expect(rt.stream(arn: "arn:aws:kinesis:us-east-1:123456789012:stream/clicks") === stream)
        #expect(rt.function(named: "double", as: LambdaFunction<Int, Int>.self) === fn)
        #expect(rt.function(named: "double", as: LambdaFunction<String, Int>.self) == nil)
        #expect(rt.function(arn: "arn:aws:lambda:us-east-1:123456789012:function:double:$LATEST")?.functionArn == fn.functionArn)
        #expect(rt.function(arn: "arn:aws:lambda:us-east-1:123456789012:function:double")?.name == "double")
        #expect(rt.queue(named: "nope") == nil)
        #expect(rt.registry.names(.queue) == ["jobs"])
        let result = try await #require(rt.function(named: "double")).invokeJSON(21, qualifier: "$LATEST")
        #expect(result == InvokeResult(statusCode: 200, payload: 42, executedVersion: "$LATEST"))
    }

    @Test("a second resource with a name already taken is AWS's error for that kind")
    func duplicates() throws {
        let rt = EventFlowRuntime.testing()
        _ = try EventBus(name: "b", runtime: rt)
        #expect(throws: AWSError(.resourceAlreadyExists, "Event bus b already exists.")) { _ = try EventBus(name: "b", runtime: rt) }
        _ = try LambdaFunction<Int, Int>(name: "f", runtime: rt) { n, _ in n }
        #expect(throws: AWSError(.resourceConflict, "Function already exist: f")) {
            _ = try LambdaFunction<String, String>(name: "f", runtime: rt) { s, _ in s }
        }
        #expect(AWSError(.resourceConflict, "").httpStatus == 409)
        _ = try Queue(name: "q", runtime: rt)
        #expect(
            throws: AWSError(
                .queueAlreadyExists,
                "Queue q already exists with the same attributes; Queue.create(name:runtime:) returns it (an initialiser always makes a new queue)")
        ) { _ = try Queue(name: "q", runtime: rt) }
        #expect(throws: AWSError(.queueAlreadyExists, "A queue already exists with the same name and a different value for attribute VisibilityTimeout")) {
            _ = try Queue(name: "q", runtime: rt, visibilityTimeout: .seconds(31))
        }
        _ = try Topic(name: "t", runtime: rt)
        #expect(throws: AWSError(.resourceAlreadyExists, "Topic t already exists.")) { _ = try Topic(name: "t", runtime: rt) }
        _ = try DataStream(kinesis: "s", runtime: rt)
        #expect(throws: AWSError(.resourceInUse, "Stream s under account 123456789012 already exists.")) { _ = try DataStream(kinesis: "s", runtime: rt) }
        _ = try DataStream(dynamoDBTable: "orders", runtime: rt)
        #expect(throws: AWSError(.resourceInUse, "Table already exists: orders")) { _ = try DataStream(dynamoDBTable: "orders", runtime: rt) }
        // Names are per kind: a queue and a topic may share one.
        _ = try Topic(name: "q", runtime: rt)
    }
}

@Suite("The asynchronous retry decision")
struct AsyncRetryPolicyTests {
    typealias D = AsyncRetryPolicy.Decision

    @Test(
        "retry n waits n × the base; give up when retries are spent or the next retry would come too late",
        arguments: [
            // (retries, max age, attempts made, age now in s) → decision
            (2, 21_600, 1, 0, D.retry(after: .seconds(60))),
            (2, 21_600, 2, 60, D.retry(after: .seconds(120))),
            (2, 21_600, 3, 180, D.giveUp(condition: "RetriesExhausted")),
            (0, 21_600, 1, 0, D.giveUp(condition: "RetriesExhausted")),
            (1, 21_600, 1, 0, D.retry(after: .seconds(60))),
            (1, 21_600, 2, 60, D.giveUp(condition: "RetriesExhausted")),
            // AWS-observed: maximum age 60 → one attempt; 90 → two.
            (2, 60, 1, 0, D.giveUp(condition: "EventAgeExceeded")),
            (2, 90, 1, 0, D.retry(after: .seconds(60))),
            (2, 90, 2, 60, D.giveUp(condition: "EventAgeExceeded")),
            (2, 300, 2, 60, D.retry(after: .seconds(120))),
            // Ages round up to whole seconds: 59.5 s + 60 s is 120 s, not under 120.
            (2, 120, 1, 59, D.giveUp(condition: "EventAgeExceeded")),
        ] as [(Int, Int, Int, Int, D)])
    func decisions(retries: Int, maxAge: Int, attempts: Int, age: Int, expected: D) {
        let policy = AsyncRetryPolicy(maximumRetryAttempts: retries, maximumEventAgeInSeconds: maxAge)
        let ageNow: Duration = age == 59 ? .milliseconds(59_500) : .seconds(age)
        #expect(policy.afterFailure(attempts: attempts, age: ageNow) == expected)
    }

    @Test("an event may be attempted until its age passes the maximum (whole seconds, rounded up)")
    func mayAttempt() {
        let policy = AsyncRetryPolicy(maximumEventAgeInSeconds: 60)
        #expect(policy.mayAttempt(age: .seconds(60)))
        #expect(!policy.mayAttempt(age: .milliseconds(60_001)))
    }
}
