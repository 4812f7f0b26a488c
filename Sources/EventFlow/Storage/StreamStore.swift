import Foundation

/// A stream record as a stream store keeps it. The arrival is a wall-clock instant, so it keeps
/// its meaning (and retention its deadline) across restarts.
public struct StoredStreamRecord: Sendable, Equatable {
    public var shard: Int
    /// Increasing across the stream's shards, never reused.
    public var sequence: Int
    public var partitionKey: String
    /// Kinesis: the record's data (empty for DynamoDB).
    public var data: [UInt8]
    /// DynamoDB: the change record (`eventName`, `dynamodb` keys and images) as JSON text.
    public var change: String?
    public var arrivedAt: Date

    public init(shard: Int, sequence: Int, partitionKey: String, data: [UInt8], change: String? = nil, arrivedAt: Date) {
        self.shard = shard
        self.sequence = sequence
        self.partitionKey = partitionKey
        self.data = data
        self.change = change
        self.arrivedAt = arrivedAt
    }
}

/// Why a stream store refused to open a stream.
public enum StreamStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The store holds the stream with another kind or shard count than it is opened with.
    case shapeChanged(stream: String, stored: String, requested: String)
    /// A record for a stream (or a shard) the store was never asked to open.
    case unknownStream(String)

    public var description: String {
        switch self {
        case .unknownStream(let stream):
            return "stream \(stream) (or the shard of the record) was not opened in this store"
        case .shapeChanged(let stream, let stored, let requested):
            return "stream \(stream) is stored as \(stored), not \(requested); its records are kept as they are"
        }
    }
}

/// Where streams keep their records per shard, the next sequence number and what retention
/// removed. Records of a shard are in sequence order. Retention first marks records expired (no
/// longer readable; kept so that mappings that had not read them count them, never a silent
/// loss), then `prune` deletes them, and the shard remembers the highest sequence it deleted.
public protocol StreamStore: Sendable {
    /// Finds the stream (`kind` e.g. "kinesis", with `shardCount` shards) or creates it empty;
    /// returns the next sequence number to give a record (1 for a new stream). A stream stored
    /// with another kind or shard count is `StreamStoreError.shapeChanged`.
    func open(stream: String, kind: String, shardCount: Int) throws -> Int
    /// Adds a record at the end of its shard and moves the stream's next sequence past it.
    /// `async` like the queue store's insert: a store may batch it with other writes and return
    /// once its transaction committed.
    nonisolated(nonsending) func append(_ record: StoredStreamRecord, stream: String) async throws
    /// Up to `limit` unexpired records of a shard with a sequence at or after `from`, oldest first.
    func read(stream: String, shard: Int, from: Int, limit: Int) throws -> [StoredStreamRecord]
    /// The expired records of a shard with a sequence at or after `from`, oldest first.
    func expired(stream: String, shard: Int, from: Int) throws -> [StoredStreamRecord]
    /// Retention: marks every unexpired record that arrived at or before `cutoff` expired;
    /// returns how many it marked.
    func expire(stream: String, arrivedAtOrBefore cutoff: Date) throws -> Int
    /// Every unexpired record (or, with `expired`, every expired one), shard by shard.
    func records(stream: String, expired: Bool) throws -> [StoredStreamRecord]
    /// The lowest sequence of an unexpired record that arrived at or after `date`.
    func firstSequence(stream: String, arrivedAtOrAfter date: Date) throws -> Int?
    /// Deletes the expired records of a shard whose sequence is below `sequence` or that arrived
    /// at or before `cutoff` (expired records are the oldest of their shard, so what goes is the
    /// start of the shard), and moves the shard's `prunedThrough` to the highest sequence
    /// deleted, in one transaction. Returns how many it deleted.
    func prune(stream: String, shard: Int, below sequence: Int, orArrivedAtOrBefore cutoff: Date) throws -> Int
    /// The highest sequence `prune` deleted from the shard (0 when it deleted none).
    func prunedThrough(stream: String, shard: Int) throws -> Int
    /// When the oldest unexpired record and the oldest expired one of the stream arrived.
    func oldestArrivals(stream: String) throws -> (unexpired: Date?, expired: Date?)
}
