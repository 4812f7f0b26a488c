import Synchronization

/// Checkpoints in a dictionary; the outbox goes to the in-memory queues. Nothing outlives the
/// process; within it, a mapping created again with the same UUID resumes where it stopped.
public final class InMemoryCheckpointStore: CheckpointStore {
    private let queues: any QueueStore
    private let stored = Mutex<[String: [Int: Int]]>([:])

    public init(queues: any QueueStore) { self.queues = queues }

    public func checkpoints(mapping: String) -> [Int: Int] { stored.withLock { $0[mapping] ?? [:] } }

    nonisolated(nonsending) public func save(mapping: String, shard: Int, sequence: Int, outbox: [OutboxMessage]) async throws {
        for m in outbox { try await queues.insert(m.message, queue: m.queue) }
        stored.withLock { $0[mapping, default: [:]][shard] = sequence }
    }

    public func remove(mapping: String) { stored.withLock { _ = $0.removeValue(forKey: mapping) } }
}
