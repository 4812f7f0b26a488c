/// A message queue with SQS semantics: send, receive with a visibility timeout, delete by
/// receipt handle, long polling, and receive counts. Used as a destination, a dead-letter queue
/// and a rule target.
public actor Queue {
    public nonisolated let name: String
    public nonisolated let arn: String
    nonisolated let runtime: EventFlowRuntime

    /// SQS's message size limit (256 KB).
    public nonisolated let maxMessageBytes: Int

    public struct Attribute: Sendable, Equatable, CustomStringConvertible {
        /// "String" or "Number", as SQS message attributes have them.
        public var dataType: String
        public var stringValue: String
        public init(dataType: String, stringValue: String) {
            self.dataType = dataType
            self.stringValue = stringValue
        }
        public static func string(_ s: String) -> Attribute { Attribute(dataType: "String", stringValue: s) }
        public static func number(_ s: String) -> Attribute { Attribute(dataType: "Number", stringValue: s) }
        public var description: String { "\(dataType):\(stringValue)" }
    }

    public struct Message: Sendable, Equatable {
        public var messageId: String
        public var body: String
        public var attributes: [String: Attribute]
        /// Set on received messages; needed to delete them.
        public var receiptHandle: String
        public var receiveCount: Int
    }

    public enum QueueError: Error, Equatable, CustomStringConvertible {
        case messageTooLong(bytes: Int, limit: Int)
        public var description: String {
            switch self {
            case .messageTooLong(let bytes, let limit):
                return "One or more parameters are invalid. Reason: Message must be shorter than \(limit) bytes. (\(bytes) bytes)"
            }
        }
    }

    private struct Stored {
        var message: Message
        var visibleAt: Duration
    }

    private var stored: [Stored] = []
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(name: String, runtime: EventFlowRuntime, maxMessageBytes: Int = 262_144) {
        self.name = name
        self.arn = runtime.arn("sqs", name)
        self.runtime = runtime
        self.maxMessageBytes = maxMessageBytes
    }

    /// Sends a message; returns its id.
    @discardableResult
    public func send(_ body: String, attributes: [String: Attribute] = [:]) throws(QueueError) -> String {
        let size = body.utf8.count + attributes.reduce(0) { $0 + $1.key.utf8.count + $1.value.dataType.utf8.count + $1.value.stringValue.utf8.count }
        guard size <= maxMessageBytes else { throw .messageTooLong(bytes: size, limit: maxMessageBytes) }
        let id = runtime.ids.make()
        stored.append(Stored(message: Message(messageId: id, body: body, attributes: attributes, receiptHandle: "", receiveCount: 0), visibleAt: .zero))
        let w = waiters
        waiters = []
        for c in w { c.resume() }
        return id
    }

    /// Receives up to `max` visible messages, hiding them for `visibilityTimeout`.
    public func receive(max: Int = 1, visibilityTimeout: Duration = .seconds(30)) -> [Message] {
        let now = runtime.clock.now
        var out: [Message] = []
        for i in stored.indices where out.count < max && stored[i].visibleAt <= now {
            stored[i].message.receiveCount += 1
            stored[i].message.receiptHandle = runtime.ids.make()
            stored[i].visibleAt = now + visibilityTimeout
            out.append(stored[i].message)
        }
        return out
    }

    /// Long polling: waits up to `waitTime` for a message when none is visible.
    public func receive(max: Int = 1, visibilityTimeout: Duration = .seconds(30), waitTime: Duration) async -> [Message] {
        let first = receive(max: max, visibilityTimeout: visibilityTimeout)
        if !first.isEmpty || waitTime <= .zero { return first }
        let deadline = runtime.clock.now + waitTime
        while runtime.clock.now < deadline {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                waiters.append(c)
                let remaining = deadline - runtime.clock.now
                Task { [runtime] in
                    try? await runtime.clock.sleepUntil(runtime.clock.now + remaining)
                    self.wakeAll()
                }
            }
            let got = receive(max: max, visibilityTimeout: visibilityTimeout)
            if !got.isEmpty { return got }
        }
        return []
    }

    private func wakeAll() {
        let w = waiters
        waiters = []
        for c in w { c.resume() }
    }

    /// Deletes a received message; false when the handle is unknown.
    @discardableResult
    public func delete(receiptHandle: String) -> Bool {
        guard let i = stored.firstIndex(where: { $0.message.receiptHandle == receiptHandle }) else { return false }
        stored.remove(at: i)
        return true
    }

    /// Every message still in the queue, visible or not, oldest first (for inspection in tests).
    public var messages: [Message] { stored.map(\.message) }

    public var approximateNumberOfMessages: Int { stored.count }

    /// Takes every message out of the queue (receive and delete), oldest first.
    public func drain() -> [Message] {
        defer { stored.removeAll() }
        return stored.map(\.message)
    }
}
