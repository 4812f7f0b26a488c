/// A stream mapping's checkpoints: per shard, the sequence it resumes from after a restart —
/// the oldest record that any lane of the shard has not finished. Stored whenever a batch
/// finishes (it succeeded, or was given up on and its record sent to the on-failure
/// destination), so a restart delivers again at most what was in flight or finished after the
/// last store (at least once).
extension EventSourceMapping {
    /// Where the shard would resume now.
    func checkpoint(ofShard shard: Int) -> Int? {
        lanes.filter { $0.key.shard == shard }.map { $0.value.batches.first?.records.first?.sequence ?? $0.value.position }.min()
    }

    /// Per shard, the oldest record a lane has not finished: the stream prunes none from there.
    func shardPositions() -> [Int: Int] {
        var positions: [Int: Int] = [:]
        for shard in Set(lanes.keys.map(\.shard)) { positions[shard] = checkpoint(ofShard: shard) }
        return positions
    }

    /// Stores the shard's checkpoint if it moved, and `outbox` (a given-up batch's record for a
    /// queue) in the same transaction. False when the store failed (logged and recorded): the
    /// outbox was not written, and after a restart the shard resumes from its earlier checkpoint.
    @discardableResult
    func storeCheckpoint(ofShard shard: Int, outbox: [OutboxMessage] = []) async -> Bool {
        // A shard always has lanes while one of them polls; without, there is nothing to store.
        guard let sequence = checkpoint(ofShard: shard) else { return outbox.isEmpty }
        guard sequence != savedCheckpoints[shard] || !outbox.isEmpty else { return true }
        do {
            try await runtime.storage.checkpoints.save(mapping: uuid, shard: shard, sequence: sequence, outbox: outbox)
        } catch {
            runtime.reportStorageFailure(
                "could not store the checkpoint \(sequence) of shard \(shard) of event source mapping \(uuid)"
                    + (outbox.isEmpty ? "" : " with its on-failure record") + ": \(error)",
                resource: uuid, metadata: ["mapping": "\(uuid)", "function": "\(function.name)"])
            return false
        }
        // Checkpoints only move forward; a later store may have finished first.
        savedCheckpoints[shard] = max(savedCheckpoints[shard] ?? sequence, sequence)
        return true
    }
}
