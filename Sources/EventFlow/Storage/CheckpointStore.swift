/// Where stream event source mappings keep their checkpoints: per mapping (its UUID) and shard,
/// the sequence number the mapping resumes reading from after a restart. Records at or after a
/// checkpoint may have been processed already: after a restart they are delivered again (at
/// least once), as when Lambda resumes a shard.
public protocol CheckpointStore: Sendable {
    /// The mapping's checkpoints by shard index (empty for a mapping never checkpointed).
    func checkpoints(mapping: String) throws -> [Int: Int]
    /// Sets the checkpoint of one shard and adds `outbox` to its queues (the on-failure record
    /// of a batch given up on), in one transaction: a batch's record is written exactly once
    /// in queues of the same storage. `async` like the other stores' writes (batched commits).
    nonisolated(nonsending) func save(mapping: String, shard: Int, sequence: Int, outbox: [OutboxMessage]) async throws
    /// Forgets the mapping's checkpoints (when it is deleted).
    func remove(mapping: String) throws
}
