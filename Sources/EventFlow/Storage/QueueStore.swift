import Foundation

/// A message as a queue store keeps it. Times are wall-clock instants, so they keep their
/// meaning across restarts.
public struct StoredMessage: Sendable, Equatable {
    public var messageId: String
    public var body: String
    public var attributes: [String: Queue.Attribute]
    /// The handle of the latest receive ("" before the first).
    public var receiptHandle: String
    public var receiveCount: Int
    public var sentAt: Date
    public var firstReceivedAt: Date?
    /// Hidden until then (a receive's visibility timeout).
    public var visibleAt: Date

    public init(
        messageId: String, body: String, attributes: [String: Queue.Attribute], receiptHandle: String = "", receiveCount: Int = 0,
        sentAt: Date, firstReceivedAt: Date? = nil, visibleAt: Date
    ) {
        self.messageId = messageId
        self.body = body
        self.attributes = attributes
        self.receiptHandle = receiptHandle
        self.receiveCount = receiveCount
        self.sentAt = sentAt
        self.firstReceivedAt = firstReceivedAt
        self.visibleAt = visibleAt
    }
}

/// What one receive did: the messages received, and those moved to the dead-letter queue.
public struct QueueClaim: Sendable, Equatable {
    public var received: [StoredMessage]
    public var redriven: [StoredMessage]
    public init(received: [StoredMessage], redriven: [StoredMessage]) {
        self.received = received
        self.redriven = redriven
    }
}

/// How a receive treats messages received too often (SQS's `RedrivePolicy`).
public struct RedriveRule: Sendable, Equatable {
    public var deadLetterQueue: String
    public var maxReceiveCount: Int
    public init(deadLetterQueue: String, maxReceiveCount: Int) {
        self.deadLetterQueue = deadLetterQueue
        self.maxReceiveCount = maxReceiveCount
    }
}

/// Where queues keep their messages, in the order they arrived. Each call is atomic: a claim
/// (receive, visibility, receive count and redrive move) either happens whole or not at all.
/// Errors are the store's own (a full disk, a read-only file); queues turn them into
/// `AWSError`s naming the queue.
public protocol QueueStore: Sendable {
    /// Adds a message at the end of the queue. `async` like the invocation store's writes: a
    /// store may batch it with others and return once its transaction committed.
    nonisolated(nonsending) func insert(_ message: StoredMessage, queue: String) async throws
    /// Receives up to `max` messages visible at `now`, oldest first: each gets a new receipt
    /// handle from `handle`, one more receive, and stays hidden until `hideUntil`. With
    /// `redrive`, a visible message already received `maxReceiveCount` times moves to the end of
    /// the dead-letter queue instead (receive count 0, no handle), in the same transaction.
    func claim(
        queue: String, now: Date, max: Int, hideUntil: Date, redrive: RedriveRule?, handle: () -> String
    ) throws -> QueueClaim
    /// Deletes the message with this receipt handle; false when there is none.
    func delete(queue: String, receiptHandle: String) throws -> Bool
    /// Hides the message with this receipt handle until `visibleAt`; false when there is none.
    func changeVisibility(queue: String, receiptHandle: String, visibleAt: Date) throws -> Bool
    /// Every message of the queue, oldest first.
    func messages(queue: String) throws -> [StoredMessage]
    func count(queue: String) throws -> Int
    /// Removes and returns the messages sent at or before `sentAtOrBefore` (retention).
    func removeExpired(queue: String, sentAtOrBefore cutoff: Date) throws -> [StoredMessage]
    /// Removes and returns every message of the queue.
    func removeAll(queue: String) throws -> [StoredMessage]
    /// The earliest instant after `now` at which a hidden message becomes visible.
    func nextVisibleAt(queue: String, after now: Date) throws -> Date?
}
