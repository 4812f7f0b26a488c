import Foundation
import Synchronization

/// An accepted asynchronous invocation as the store keeps it until it ends.
public struct StoredInvocation: Sendable, Equatable {
    public var requestId: String
    public var function: String
    public var qualifier: String
    /// The payload as JSON text.
    public var payload: String
    public var enqueuedAt: Date
    /// Attempts finished, and attempts started (more started than finished: the process ended
    /// during an attempt, whose handler runs again with the same request id).
    public var attempts: Int
    public var startedAttempts: Int
    /// When the next attempt is due.
    public var dueAt: Date
    /// The last attempt's response or error object (JSON text), its version and function error.
    public var lastResponse: String?
    public var executedVersion: String?
    public var functionError: String?
    public var lastError: String?

    public init(
        requestId: String, function: String, qualifier: String, payload: String, enqueuedAt: Date, attempts: Int = 0,
        startedAttempts: Int = 0, dueAt: Date, lastResponse: String? = nil, executedVersion: String? = nil,
        functionError: String? = nil, lastError: String? = nil
    ) {
        self.requestId = requestId
        self.function = function
        self.qualifier = qualifier
        self.payload = payload
        self.enqueuedAt = enqueuedAt
        self.attempts = attempts
        self.startedAttempts = startedAttempts
        self.dueAt = dueAt
        self.lastResponse = lastResponse
        self.executedVersion = executedVersion
        self.functionError = functionError
        self.lastError = lastError
    }
}

/// A message to add to a queue in the same transaction that ends an invocation (its record to
/// an on-success or on-failure queue, its event to a dead-letter queue).
public struct OutboxMessage: Sendable, Equatable {
    public var queue: String
    public var message: StoredMessage
    public init(queue: String, message: StoredMessage) {
        self.queue = queue
        self.message = message
    }
}

/// Where functions keep their accepted asynchronous invocations until each ends, so that a
/// restart resumes them: waiting, retrying or interrupted mid-attempt.
///
/// The writes are `async`: a store may gather writes of many invocations into one transaction
/// (group commit) and return from each only once its transaction committed. They run on the
/// caller's executor (`nonisolated(nonsending)`), so a store that does not suspend (memory)
/// changes nothing in the order in which a function's work happens.
public protocol AsyncInvocationStore: Sendable {
    /// Whether anything is kept (false for memory: the function's own queue is the record).
    var isDurable: Bool { get }
    nonisolated(nonsending) func insert(_ invocation: StoredInvocation) async throws
    /// Notes that an attempt is starting (so an interrupted one is known after a restart). Not
    /// awaited: the attempt does not wait for the note's commit, but a store commits it before
    /// any later write for the same invocation (so a crash may lose the note only while the
    /// attempt has not ended); `failed` is called if it could not be stored.
    func noteStarted(requestId: String, attempt: Int, failed: @escaping @Sendable (any Error) -> Void)
    /// Saves the state after a failed attempt that will be retried.
    nonisolated(nonsending) func update(_ invocation: StoredInvocation) async throws
    /// Ends an invocation and adds its outbox messages to their queues, in one transaction:
    /// an outcome is recorded exactly once in queues of the same storage.
    nonisolated(nonsending) func complete(requestId: String, outbox: [OutboxMessage]) async throws
    /// Every invocation of `function` not ended, oldest first.
    func pending(function: String) throws -> [StoredInvocation]
    /// How many invocations of `function` have not ended.
    func pendingCount(function: String) throws -> Int
}

/// Memory: the function's queue and the runtime's scheduler already hold everything, and
/// nothing outlives the process, so only the outbox is written (to the in-memory queues).
public final class InMemoryAsyncInvocationStore: AsyncInvocationStore {
    private let queues: any QueueStore

    public init(queues: any QueueStore) { self.queues = queues }

    public var isDurable: Bool { false }
    nonisolated(nonsending) public func insert(_ invocation: StoredInvocation) async {}
    public func noteStarted(requestId: String, attempt: Int, failed: @escaping @Sendable (any Error) -> Void) {}
    nonisolated(nonsending) public func update(_ invocation: StoredInvocation) async {}
    nonisolated(nonsending) public func complete(requestId: String, outbox: [OutboxMessage]) async throws {
        for m in outbox { try await queues.insert(m.message, queue: m.queue) }
    }
    public func pending(function: String) -> [StoredInvocation] { [] }
    public func pendingCount(function: String) -> Int { 0 }
}
