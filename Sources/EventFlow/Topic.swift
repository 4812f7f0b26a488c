import EventPatterns

/// A publish/subscribe topic with SNS semantics: every message fans out to every subscriber, in
/// the form SNS delivers it (a notification document to queues unless raw message delivery is
/// on, an `aws:sns` record to functions).
public actor Topic {
    public nonisolated let name: String
    public nonisolated let arn: String
    nonisolated let runtime: EventFlowRuntime

    public enum Subscriber: Sendable {
        /// With `rawMessageDelivery` the queue gets the message itself and its attributes as
        /// message attributes; otherwise the SNS notification JSON.
        case queue(Queue, rawMessageDelivery: Bool = false)
        /// Invoked asynchronously with `{"Records":[{"EventSource":"aws:sns", ...}]}`.
        case function(any AsyncInvocable)
        /// Gets the message and attributes as published.
        case handler(@Sendable (String, [String: Queue.Attribute]) async -> Void)
    }

    /// One message as published.
    public struct Publication: Sendable, Equatable {
        public var messageId: String
        public var message: String
        public var subject: String?
        public var attributes: [String: Queue.Attribute]
        public var timestamp: String
    }

    private var subscriptions: [(arn: String, subscriber: Subscriber)] = []
    /// The latest messages published (the runtime's `historyCapacity`), oldest first.
    public var published: [Publication] { history.elements }
    private var history: History<Publication>
    /// Deliveries that failed (for example a subscribed queue rejecting an oversized message).
    public private(set) var failedDeliveries = 0

    public init(name: String, runtime: EventFlowRuntime) throws(AWSError) {
        self.name = name
        self.arn = runtime.arn("sns", name)
        self.runtime = runtime
        self.history = History(capacity: runtime.limits.historyCapacity)
        try runtime.registry.register(self, kind: .topic, name: name, arn: arn)
        // A topic is code (its subscribers are): stored rules and configs naming it wait for it.
        if runtime.definitionsRestored.load(ordering: .acquiring) {
            runtime.performSoon { [runtime] in await runtime.applyWaitingDefinitions() }
        }
    }

    /// SNS `CreateTopic`: the topic named `name`, created when there is none, the registered one
    /// (with its subscriptions) when there is — SNS answers a create of an existing topic with
    /// its ARN (EventFlow models no topic attributes, so there is nothing that could differ).
    public static func create(name: String, runtime: EventFlowRuntime) throws(AWSError) -> Topic {
        if let existing = runtime.topic(named: name) { return existing }
        do { return try Topic(name: name, runtime: runtime) } catch {
            // Created by another caller meanwhile.
            guard let existing = runtime.topic(named: name) else { throw error }
            return existing
        }
    }

    /// Subscribes; returns the subscription ARN (`<topic ARN>:<uuid>`).
    @discardableResult
    public func subscribe(_ s: Subscriber) -> String {
        let subscriptionArn = arn + ":" + runtime.ids.make()
        subscriptions.append((subscriptionArn, s))
        return subscriptionArn
    }

    /// Every message published from now on.
    public func publications() -> AsyncStream<Publication> {
        history.makeStream { id in Task { await self.dropStream(id) } }
    }

    private func dropStream(_ id: Int) { history.removeStream(id) }

    /// Publishes to every subscriber; returns the message id. A subscriber that refuses the
    /// delivery is counted in `failedDeliveries` and in the activity log; the others still get it.
    @discardableResult
    public func publish(_ message: String, subject: String? = nil, attributes: [String: Queue.Attribute] = [:]) async -> String {
        let publication = Publication(
            messageId: runtime.ids.make(), message: message, subject: subject, attributes: attributes,
            timestamp: AWSTime.milliseconds(runtime.clock.date(at: runtime.clock.now)))
        history.append(publication)
        runtime.record(.accepted, resource: arn, id: publication.messageId)
        for (subscriptionArn, s) in subscriptions {
            let delivered: Bool
            switch s {
            case .queue(let q, let raw):
                let body = raw ? message : SNSNotification.queueBody(publication, topicArn: arn, region: runtime.region, subscriptionArn: subscriptionArn).jsonText
                delivered = await runtime.deliver(
                    Delivery(.text(body), attributes: raw ? attributes : [:]), to: .queue(q), from: arn, id: publication.messageId)
            case .function(let f):
                let event = SNSNotification.lambdaEvent(publication, topicArn: arn, region: runtime.region, subscriptionArn: subscriptionArn)
                delivered = await runtime.deliver(Delivery(.json(event)), to: .function(f), from: arn, id: publication.messageId)
            case .handler(let h):
                await h(message, attributes)
                delivered = true
            }
            if !delivered { failedDeliveries += 1 }
        }
        return publication.messageId
    }
}

/// The documents SNS delivers. The signature fields are present with placeholder values: the
/// runtime does not sign messages.
enum SNSNotification {
    static func queueBody(_ p: Topic.Publication, topicArn: String, region: String, subscriptionArn: String) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("Type", "Notification"), JSONMember("MessageId", .string(p.messageId)),
            JSONMember("TopicArn", .string(topicArn)),
        ]
        if let subject = p.subject { members.append(JSONMember("Subject", .string(subject))) }
        members += [
            JSONMember("Message", .string(p.message)), JSONMember("Timestamp", .string(p.timestamp)),
            JSONMember("SignatureVersion", "1"), JSONMember("Signature", "EXAMPLE"),
            JSONMember("SigningCertURL", .string(certURL(region))),
            JSONMember("UnsubscribeURL", .string(unsubscribeURL(region, subscriptionArn))),
        ]
        if !p.attributes.isEmpty { members.append(JSONMember("MessageAttributes", attributes(p.attributes))) }
        return .object(members)
    }

    static func lambdaEvent(_ p: Topic.Publication, topicArn: String, region: String, subscriptionArn: String) -> JSONValue {
        let sns: JSONValue = .object([
            JSONMember("Type", "Notification"), JSONMember("MessageId", .string(p.messageId)),
            JSONMember("TopicArn", .string(topicArn)), JSONMember("Subject", p.subject.map { .string($0) } ?? .null),
            JSONMember("Message", .string(p.message)), JSONMember("Timestamp", .string(p.timestamp)),
            JSONMember("SignatureVersion", "1"), JSONMember("Signature", "EXAMPLE"),
            JSONMember("SigningCertUrl", .string(certURL(region))),
            JSONMember("UnsubscribeUrl", .string(unsubscribeURL(region, subscriptionArn))),
            JSONMember("MessageAttributes", attributes(p.attributes)),
        ])
        return [
            "Records": [
                .object([
                    JSONMember("EventSource", "aws:sns"), JSONMember("EventVersion", "1.0"),
                    JSONMember("EventSubscriptionArn", .string(subscriptionArn)), JSONMember("Sns", sns),
                ])
            ]
        ]
    }

    private static func attributes(_ a: [String: Queue.Attribute]) -> JSONValue {
        .object(a.keys.sorted().map { JSONMember($0, ["Type": .string(a[$0]!.dataType), "Value": .string(a[$0]!.stringValue)]) })
    }

    private static func certURL(_ region: String) -> String {
        "https://sns.\(region).amazonaws.com/SimpleNotificationService-0000000000000000000000000000000.pem"
    }

    private static func unsubscribeURL(_ region: String, _ subscriptionArn: String) -> String {
        "https://sns.\(region).amazonaws.com/?Action=Unsubscribe&SubscriptionArn=\(subscriptionArn)"
    }
}
