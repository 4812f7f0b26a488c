/// A publish/subscribe topic with SNS semantics: every message fans out to every subscriber.
public actor Topic {
    public nonisolated let name: String
    public nonisolated let arn: String
    nonisolated let runtime: EventFlowRuntime

    public enum Subscriber: Sendable {
        case queue(Queue)
        case function(any AsyncInvocable)
        case handler(@Sendable (String, [String: Queue.Attribute]) async -> Void)
    }

    private var subscribers: [Subscriber] = []
    /// Every message published, in order.
    public private(set) var published: [(message: String, attributes: [String: Queue.Attribute])] = []
    /// Deliveries that failed (for example a subscribed queue rejecting an oversized message).
    public private(set) var failedDeliveries = 0

    public init(name: String, runtime: EventFlowRuntime) {
        self.name = name
        self.arn = runtime.arn("sns", name)
        self.runtime = runtime
    }

    public func subscribe(_ s: Subscriber) { subscribers.append(s) }

    /// Publishes to every subscriber; returns the message id.
    @discardableResult
    public func publish(_ message: String, attributes: [String: Queue.Attribute] = [:]) async -> String {
        published.append((message, attributes))
        for s in subscribers {
            switch s {
            case .queue(let q):
                do { try await q.send(message, attributes: attributes) } catch { failedDeliveries += 1 }
            case .function(let f):
                let payload = (try? JSONParser.parse(message)) ?? .string(message)
                await f.invokeAsynchronously(payload)
            case .handler(let h):
                await h(message, attributes)
            }
        }
        return runtime.ids.make()
    }
}

import EventPatterns
