import EventPatterns
import Synchronization

/// A message queue with SQS semantics: send, receive with a visibility timeout, delete by
/// receipt handle, long polling, receive counts, a redrive policy to a dead-letter queue and a
/// retention period. Used as a destination, a dead-letter queue, a rule target and the source
/// of an event source mapping.
public actor Queue {
    public nonisolated let name: String
    public nonisolated let arn: String
    nonisolated let runtime: EventFlowRuntime

    /// SQS's message size limit, body plus attributes (1 MB; the runtime's
    /// `limits.maxQueueMessageBytes` unless given).
    public nonisolated let maxMessageBytes: Int
    /// The queue's default visibility timeout (SQS: 30 s), used by event source mappings.
    public nonisolated let visibilityTimeout: Duration
    /// How long SQS keeps a message (default 4 days); older messages are deleted and listed in
    /// `expiredMessages`, never dropped silently.
    public nonisolated let messageRetentionPeriod: Duration

    /// SQS's `RedrivePolicy`: a message received `maxReceiveCount` times that is still in the
    /// queue moves to `deadLetterQueue` instead of being received again.
    public struct RedrivePolicy: Sendable {
        public var deadLetterQueue: Queue
        public var maxReceiveCount: Int
        public init(deadLetterQueue: Queue, maxReceiveCount: Int) {
            self.deadLetterQueue = deadLetterQueue
            self.maxReceiveCount = maxReceiveCount
        }
    }

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
        /// When it was sent and first received, as offsets on the runtime's clock.
        public var sentAt: Duration
        public var firstReceivedAt: Duration?

        public init(
            messageId: String, body: String, attributes: [String: Attribute] = [:], receiptHandle: String = "",
            receiveCount: Int = 0, sentAt: Duration = .zero, firstReceivedAt: Duration? = nil
        ) {
            self.messageId = messageId
            self.body = body
            self.attributes = attributes
            self.receiptHandle = receiptHandle
            self.receiveCount = receiveCount
            self.sentAt = sentAt
            self.firstReceivedAt = firstReceivedAt
        }
    }

    /// Where the messages are: the runtime's storage (memory, or a SQLite file).
    private nonisolated let store: any QueueStore
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var listeners: [SendListener] = []
    public private(set) var redrivePolicy: RedrivePolicy?
    /// The queue's attributes as stored (its redrive policy by dead-letter queue name), readable
    /// without a hop to the queue: `Queue.create` compares a request with them.
    nonisolated let attributes: Mutex<QueueDefinition>
    /// Messages deleted because they outlived the retention period.
    public private(set) var expiredMessages: [Message] = []

    /// Creates the queue and stores its definition (name, size limit, visibility timeout,
    /// retention, redrive policy) for `EventFlowRuntime.restore()`.
    public init(
        name: String, runtime: EventFlowRuntime, maxMessageBytes: Int? = nil, visibilityTimeout: Duration = .seconds(30),
        messageRetentionPeriod: Duration = .seconds(345_600), redrivePolicy: RedrivePolicy? = nil
    ) throws(AWSError) {
        try self.init(
            name: name, runtime: runtime, maxMessageBytes: maxMessageBytes, visibilityTimeout: visibilityTimeout,
            messageRetentionPeriod: messageRetentionPeriod, redrivePolicy: redrivePolicy, persist: true)
    }

    /// `persist: false` for a queue restored from its stored definition.
    init(
        name: String, runtime: EventFlowRuntime, maxMessageBytes: Int?, visibilityTimeout: Duration,
        messageRetentionPeriod: Duration, redrivePolicy: RedrivePolicy?, persist: Bool
    ) throws(AWSError) {
        self.name = name
        self.arn = runtime.arn("sqs", name)
        self.runtime = runtime
        self.maxMessageBytes = maxMessageBytes ?? runtime.limits.maxQueueMessageBytes
        self.visibilityTimeout = visibilityTimeout
        self.messageRetentionPeriod = messageRetentionPeriod
        self.redrivePolicy = redrivePolicy
        self.store = runtime.storage.queues
        let definition = Self.definition(
            name: name, maxMessageBytes: self.maxMessageBytes, visibilityTimeout: visibilityTimeout,
            messageRetentionPeriod: messageRetentionPeriod, redrivePolicy: redrivePolicy)
        self.attributes = Mutex(definition)
        do {
            try runtime.registry.register(self, kind: .queue, name: name, arn: arn, storing: .queue, persist ? definition : nil, runtime: runtime)
        } catch let error where error.code == .queueAlreadyExists {
            throw Self.nameTaken(by: runtime.queue(named: name), requested: QueueAttributeRequest(definition), orElse: error)
        }
    }

    /// Sets (or, with nil, removes) the redrive policy and stores the queue's definition with it.
    public func setRedrivePolicy(_ policy: RedrivePolicy?) throws(AWSError) {
        let definition = Self.definition(
            name: name, maxMessageBytes: maxMessageBytes, visibilityTimeout: visibilityTimeout,
            messageRetentionPeriod: messageRetentionPeriod, redrivePolicy: policy)
        try runtime.saveDefinition(.queue, key: name, definition)
        redrivePolicy = policy
        attributes.withLock { $0 = definition }
    }

    /// The stored policy of a restored queue (its definition already holds it).
    func restoreRedrivePolicy(_ policy: RedrivePolicy) {
        redrivePolicy = policy
        let stored = QueueDefinition.Redrive(deadLetterQueue: policy.deadLetterQueue.name, maxReceiveCount: policy.maxReceiveCount)
        attributes.withLock { $0.redrivePolicy = stored }
    }

    static func definition(
        name: String, maxMessageBytes: Int, visibilityTimeout: Duration, messageRetentionPeriod: Duration, redrivePolicy: RedrivePolicy?
    ) -> QueueDefinition {
        QueueDefinition(
            name: name, maxMessageBytes: maxMessageBytes, visibilityTimeout: visibilityTimeout,
            messageRetentionPeriod: messageRetentionPeriod,
            redrivePolicy: redrivePolicy.map { .init(deadLetterQueue: $0.deadLetterQueue.name, maxReceiveCount: $0.maxReceiveCount) })
    }

    /// Sends a message; returns its id once the message is stored (on SQLite, once the batch of
    /// writes holding it committed).
    @discardableResult
    public func send(_ body: String, attributes: [String: Attribute] = [:]) async throws(AWSError) -> String {
        let size = Self.size(body, attributes)
        guard size <= maxMessageBytes else { throw .messageTooLong(bytes: size, limit: maxMessageBytes) }
        let id = runtime.ids.make()
        let now = runtime.clock.date(at: runtime.clock.now)
        do {
            try await store.insert(StoredMessage(messageId: id, body: body, attributes: attributes, sentAt: now, visibleAt: now), queue: name)
        } catch {
            throw storageFailure("send a message to", error)
        }
        runtime.record(.accepted, resource: arn, id: id)
        arrived()
        return id
    }

    /// The error for a store that failed: the queue, what could not be done, and why.
    private func storageFailure(_ action: String, _ error: any Error) -> AWSError {
        AWSError(.internalFailure, "could not \(action) queue \(name): \(error)")
    }

    /// A store failure in a call that cannot throw: logged and recorded; nothing was changed.
    private func reportStorageFailure(_ action: String, _ error: any Error) {
        runtime.reportStorageFailure(storageFailure(action, error).message, resource: arn, metadata: ["queue": "\(name)"])
    }

    /// A message as the queue's API shows it, times as offsets on the runtime's clock.
    private func message(_ m: StoredMessage) -> Message {
        Message(
            messageId: m.messageId, body: m.body, attributes: m.attributes, receiptHandle: m.receiptHandle,
            receiveCount: m.receiveCount, sentAt: runtime.clock.offset(of: m.sentAt),
            firstReceivedAt: m.firstReceivedAt.map { runtime.clock.offset(of: $0) })
    }

    /// SQS's size of a message: the body's UTF-8 bytes plus each attribute's name, type and value.
    static func size(_ body: String, _ attributes: [String: Attribute]) -> Int {
        body.utf8.count + attributes.reduce(0) { $0 + $1.key.utf8.count + $1.value.dataType.utf8.count + $1.value.stringValue.utf8.count }
    }

    /// Sends `value` as JSON text.
    @discardableResult
    public func send<T: Encodable>(json value: T, attributes: [String: Attribute] = [:]) async throws(AWSError) -> String {
        let text: String
        do { text = try JSONBridge.encode(value).jsonText } catch {
            throw AWSError(.sqsInvalidParameterValue, "the message could not be encoded as JSON: \(error)")
        }
        return try await send(text, attributes: attributes)
    }

    /// Tells whoever waits that messages arrived: long polls and event source mappings.
    private func arrived() {
        wakeAll()
        for listener in listeners { listener.notify(runtime) }
    }

    /// Calls `listener` (as scheduled work of the runtime) whenever a message arrives: event source
    /// mappings poll when told rather than spinning. A listener already told and not yet called
    /// is not told again: when it runs it sees every message that arrived until then.
    func addSendListener(_ listener: @escaping @Sendable () async -> Void) { listeners.append(SendListener(listener)) }

    /// Receives up to `max` visible messages, hiding them for `visibilityTimeout`. Messages
    /// received `maxReceiveCount` times move to the dead-letter queue in the same step. A store
    /// that fails receives nothing (logged and recorded in the activity log).
    public func receive(max: Int = 1, visibilityTimeout: Duration? = nil) async -> [Message] {
        let now = runtime.clock.now
        let hideFor = visibilityTimeout ?? self.visibilityTimeout
        expire(now: now)
        let claim: QueueClaim
        do {
            claim = try store.claim(
                queue: name, now: runtime.clock.date(at: now), max: max, hideUntil: runtime.clock.date(at: now + hideFor),
                redrive: redrivePolicy.map { RedriveRule(deadLetterQueue: $0.deadLetterQueue.name, maxReceiveCount: $0.maxReceiveCount) },
                handle: { runtime.ids.make() })
        } catch {
            reportStorageFailure("receive from", error)
            return []
        }
        if let policy = redrivePolicy, !claim.redriven.isEmpty {
            for m in claim.redriven {
                runtime.record(.delivered, resource: arn, id: m.messageId, target: policy.deadLetterQueue.arn, reason: "redrive")
            }
            await policy.deadLetterQueue.arrivedByRedrive()
        }
        return claim.received.map(message)
    }

    /// A message another resource wrote into this queue's store in its own transaction.
    func arrivedFromOutbox(_ messageId: String) {
        runtime.record(.accepted, resource: arn, id: messageId)
        arrived()
    }

    /// Messages moved in by another queue's redrive policy keep their id, body, attributes and
    /// sent time; their receive count starts again.
    private func arrivedByRedrive() { arrived() }

    private func expire(now: Duration) {
        do {
            let cutoff = runtime.clock.date(at: now - messageRetentionPeriod)
            let expired = try store.removeExpired(queue: name, sentAtOrBefore: cutoff)
            expiredMessages += expired.map(message)
        } catch {
            reportStorageFailure("expire messages of", error)
        }
    }

    /// Receives up to `max` messages and decodes each body as JSON into `T`. A body that does
    /// not decode is an error naming the message; the messages received stay hidden for the
    /// visibility timeout like any others.
    public func receive<T: Decodable>(
        as type: T.Type, max: Int = 1, visibilityTimeout: Duration? = nil
    ) async throws -> [(message: Message, value: T)] {
        try await receive(max: max, visibilityTimeout: visibilityTimeout).map { m in
            do {
                return (m, try JSONBridge.decode(T.self, from: try JSONParser.parse(m.body)))
            } catch {
                throw AWSError(.sqsInvalidParameterValue, "message \(m.messageId) of \(name) does not decode as \(T.self): \(error)")
            }
        }
    }

    /// Long polling: waits up to `waitTime` for a message when none is visible.
    public func receive(max: Int = 1, visibilityTimeout: Duration? = nil, waitTime: Duration) async -> [Message] {
        let first = await receive(max: max, visibilityTimeout: visibilityTimeout)
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
            let got = await receive(max: max, visibilityTimeout: visibilityTimeout)
            if !got.isEmpty { return got }
        }
        return []
    }

    private func wakeAll() {
        let w = waiters
        waiters = []
        for c in w { c.resume() }
    }

    /// Deletes received messages, in order (an event source mapping's successful batch, in one
    /// call); each as `delete(receiptHandle:)`.
    func delete(receiptHandles: [String]) {
        for handle in receiptHandles { delete(receiptHandle: handle) }
    }

    /// Deletes a received message; false when the handle is unknown (or the store failed,
    /// which is logged: the message then comes back after its visibility timeout).
    @discardableResult
    public func delete(receiptHandle: String) -> Bool {
        do { return try store.delete(queue: name, receiptHandle: receiptHandle) } catch {
            reportStorageFailure("delete a message of", error)
            return false
        }
    }

    /// Changes how long a received message stays hidden, from now.
    @discardableResult
    public func changeVisibility(receiptHandle: String, timeout: Duration) -> Bool {
        do {
            let until = runtime.clock.date(at: runtime.clock.now + timeout)
            return try store.changeVisibility(queue: name, receiptHandle: receiptHandle, visibleAt: until)
        } catch {
            reportStorageFailure("change the visibility of a message of", error)
            return false
        }
    }

    /// When the next hidden message becomes visible again, if any is hidden.
    public var nextVisibleAt: Duration? {
        let now = runtime.clock.date(at: runtime.clock.now)
        return (try? store.nextVisibleAt(queue: name, after: now)).flatMap { $0 }.map { runtime.clock.offset(of: $0) }
    }

    /// Every message still in the queue, visible or not, oldest first (for inspection in tests).
    public var messages: [Message] { ((try? store.messages(queue: name)) ?? []).map(message) }

    public var approximateNumberOfMessages: Int { (try? store.count(queue: name)) ?? 0 }

    /// Takes every message out of the queue (receive and delete), oldest first.
    public func drain() -> [Message] {
        do { return try store.removeAll(queue: name).map(message) } catch {
            reportStorageFailure("drain", error)
            return []
        }
    }
}
