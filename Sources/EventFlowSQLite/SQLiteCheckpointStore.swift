import EventFlow
import GRDB

/// Stream mappings' checkpoints in `mapping_checkpoint`, one row per mapping and shard. Saving
/// one and writing its outbox messages to `queue_message` is one transaction, through the
/// storage's commit batcher.
struct SQLiteCheckpointStore: CheckpointStore {
    let database: DatabasePool
    let batcher: SQLiteCommitBatcher

    func checkpoints(mapping: String) throws -> [Int: Int] {
        try database.read { db in
            var out: [Int: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT shard, sequence FROM mapping_checkpoint WHERE mapping = ?", arguments: [mapping]) {
                out[row["shard"]] = row["sequence"]
            }
            return out
        }
    }

    nonisolated(nonsending) func save(mapping: String, shard: Int, sequence: Int, outbox: [OutboxMessage]) async throws {
        try await batcher.perform { db in
            try db.cachedStatement(sql: """
                    INSERT INTO mapping_checkpoint (mapping, shard, sequence) VALUES (?, ?, ?)
                    ON CONFLICT (mapping, shard) DO UPDATE SET sequence = excluded.sequence
                    """).execute(arguments: [mapping, shard, sequence])
            for m in outbox { try SQLiteQueueStore.insert(m.message, queue: m.queue, db) }
        }
    }

    func remove(mapping: String) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM mapping_checkpoint WHERE mapping = ?", arguments: [mapping])
        }
    }
}
