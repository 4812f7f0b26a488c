import EventFlow
import Foundation
import GRDB

/// Stream records in `stream_record` (data as a blob, arrival in microseconds since 1970,
/// expired records kept with `expired = 1` until pruned), each stream's shard count and next
/// sequence in `stream`, each shard's highest pruned sequence in `stream_prune`. Appends go
/// through the storage's commit batcher; retention and pruning are a transaction each when
/// there is something to do (deleted rows' pages are reused, so the file stops growing).
struct SQLiteStreamStore: StreamStore {
    let database: DatabasePool
    let batcher: SQLiteCommitBatcher

    private static let columns = "shard, seq, partition_key, data, change, arrived_at"

    func open(stream: String, kind: String, shardCount: Int) throws -> Int {
        try database.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO stream (name, kind, shard_count, next_sequence) VALUES (?, ?, ?, 1)",
                arguments: [stream, kind, shardCount])
            let row = try Row.fetchOne(db, sql: "SELECT kind, shard_count, next_sequence FROM stream WHERE name = ?", arguments: [stream])!
            let storedKind: String = row["kind"]
            let storedCount: Int = row["shard_count"]
            guard storedKind == kind, storedCount == shardCount else {
                throw StreamStoreError.shapeChanged(
                    stream: stream, stored: "\(storedKind) with \(storedCount) shards", requested: "\(kind) with \(shardCount) shards")
            }
            return row["next_sequence"]
        }
    }

    nonisolated(nonsending) func append(_ r: StoredStreamRecord, stream: String) async throws {
        try await batcher.perform { db in
            try db.cachedStatement(sql: """
                    INSERT INTO stream_record (stream, shard, seq, partition_key, data, change, arrived_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [
                    stream, r.shard, r.sequence, r.partitionKey, Data(r.data), r.change, SQLiteQueueStore.micros(r.arrivedAt),
                ])
            try db.cachedStatement(sql: "UPDATE stream SET next_sequence = MAX(next_sequence, ?) WHERE name = ?").execute(
                arguments: [r.sequence + 1, stream])
            guard db.changesCount == 1 else { throw StreamStoreError.unknownStream(stream) }
        }
    }

    func read(stream: String, shard: Int, from: Int, limit: Int) throws -> [StoredStreamRecord] {
        try fetch("WHERE stream = ? AND shard = ? AND expired = 0 AND seq >= ? ORDER BY seq LIMIT ?", [stream, shard, from, limit])
    }

    func expired(stream: String, shard: Int, from: Int) throws -> [StoredStreamRecord] {
        try fetch("WHERE stream = ? AND shard = ? AND expired = 1 AND seq >= ? ORDER BY seq", [stream, shard, from])
    }

    func expire(stream: String, arrivedAtOrBefore cutoff: Date) throws -> Int {
        // Every read asks; almost always nothing has expired, and a read costs far less than a write.
        let arguments: StatementArguments = [stream, SQLiteQueueStore.micros(cutoff)]
        let condition = "stream = ? AND expired = 0 AND arrived_at <= ?"
        let any = try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM stream_record WHERE \(condition))", arguments: arguments) ?? false
        }
        guard any else { return 0 }
        return try database.write { db in
            try db.execute(sql: "UPDATE stream_record SET expired = 1 WHERE \(condition)", arguments: arguments)
            return db.changesCount
        }
    }

    func records(stream: String, expired: Bool) throws -> [StoredStreamRecord] {
        try fetch("WHERE stream = ? AND expired = ? ORDER BY shard, seq", [stream, expired])
    }

    func firstSequence(stream: String, arrivedAtOrAfter date: Date) throws -> Int? {
        try database.read { db in
            try Int.fetchOne(
                db, sql: "SELECT MIN(seq) FROM stream_record WHERE stream = ? AND expired = 0 AND arrived_at >= ?",
                arguments: [stream, SQLiteQueueStore.micros(date)])
        }
    }

    func prune(stream: String, shard: Int, below sequence: Int, orArrivedAtOrBefore cutoff: Date) throws -> Int {
        let condition = "stream = ? AND shard = ? AND expired = 1 AND (seq < ? OR arrived_at <= ?)"
        let arguments: StatementArguments = [stream, shard, sequence, SQLiteQueueStore.micros(cutoff)]
        let through = try database.read { db in
            try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM stream_record WHERE \(condition)", arguments: arguments)
        }
        guard let through else { return 0 }
        return try database.write { db in
            try db.execute(sql: "DELETE FROM stream_record WHERE \(condition)", arguments: arguments)
            let deleted = db.changesCount
            try db.execute(
                sql: """
                    INSERT INTO stream_prune (stream, shard, pruned_through) VALUES (?, ?, ?)
                    ON CONFLICT (stream, shard) DO UPDATE SET pruned_through = MAX(pruned_through, excluded.pruned_through)
                    """, arguments: [stream, shard, through])
            return deleted
        }
    }

    func prunedThrough(stream: String, shard: Int) throws -> Int {
        try database.read { db in
            try Int.fetchOne(
                db, sql: "SELECT pruned_through FROM stream_prune WHERE stream = ? AND shard = ?", arguments: [stream, shard]) ?? 0
        }
    }

    func oldestArrivals(stream: String) throws -> (unexpired: Date?, expired: Date?) {
        try database.read { db in
            let oldest = { (expired: Bool) throws -> Date? in
                try Int64.fetchOne(
                    db, sql: "SELECT MIN(arrived_at) FROM stream_record WHERE stream = ? AND expired = ?", arguments: [stream, expired]
                ).map(SQLiteQueueStore.date)
            }
            return (try oldest(false), try oldest(true))
        }
    }

    private func fetch(_ clause: String, _ arguments: StatementArguments) throws -> [StoredStreamRecord] {
        try database.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.columns) FROM stream_record \(clause)"), arguments: arguments).map { row in
                let data: Data = row["data"]
                return StoredStreamRecord(
                    shard: row["shard"], sequence: row["seq"], partitionKey: row["partition_key"], data: [UInt8](data),
                    change: row["change"], arrivedAt: SQLiteQueueStore.date(row["arrived_at"]))
            }
        }
    }
}
