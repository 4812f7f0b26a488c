import EventPatterns
import Foundation

/// An ordered, sharded record stream with Kinesis Data Streams or DynamoDB Streams semantics:
/// records go to a shard by the MD5 of their partition key, get increasing sequence numbers,
/// stay readable for the retention period and are read in order by event source mappings.
public actor DataStream {
    public enum Kind: Sendable, Equatable {
        case kinesis
        case dynamodb
    }

    public struct Record: Sendable, Equatable {
        public var shardId: String
        /// The sequence number as AWS prints it (zero-padded decimal, so text order is number order).
        public var sequenceNumber: String
        public var partitionKey: String
        /// Kinesis: the record's data. DynamoDB: the change record without its `dynamodb.SequenceNumber`.
        public var data: [UInt8]
        public var change: JSONValue?
        /// Arrival time as an offset on the runtime's clock (stored as a wall-clock instant:
        /// negative for a record that arrived before this runtime started).
        public var arrivedAt: Duration
        let sequence: Int
        let shardIndex: Int
    }

    public nonisolated let name: String
    public nonisolated let arn: String
    public nonisolated let kind: Kind
    public nonisolated let shardCount: Int
    /// Kinesis: 24 h by default (up to 365 days); DynamoDB Streams: always 24 h.
    public nonisolated let retentionPeriod: Duration
    nonisolated let runtime: EventFlowRuntime

    /// Where the records are: the runtime's storage (memory, or a SQLite file), by stream name.
    nonisolated let store: any StreamStore
    /// The next sequence number to give (from the store: a reopened stream continues its numbers).
    private var nextSequence: Int
    private var listeners: [@Sendable () async -> Void] = []
    /// When the pruning scheduled is due, and its ticket (see `DataStream+Pruning.swift`).
    var pruning: (due: Duration, ticket: Int)?
    /// Each shard's highest pruned sequence as last read from the store (only this stream's
    /// pruning moves it: one process at a time uses a store), so reads need not ask again.
    var prunedThroughByShard: [Int: Int] = [:]

    /// A Kinesis data stream. On durable storage a stream of this name already stored is opened
    /// with its records; it must have the same shard count.
    /// Its definition (name, shard count, retention) is stored for `EventFlowRuntime.restore()`.
    public init(
        kinesis name: String, runtime: EventFlowRuntime, shardCount: Int = 1, retentionPeriod: Duration = .seconds(86_400)
    ) throws(AWSError) {
        try self.init(kinesis: name, runtime: runtime, shardCount: shardCount, retentionPeriod: retentionPeriod, persist: true)
    }

    /// `persist: false` for a stream restored from its stored definition.
    init(kinesis name: String, runtime: EventFlowRuntime, shardCount: Int, retentionPeriod: Duration, persist: Bool) throws(AWSError) {
        self.name = name
        self.kind = .kinesis
        self.arn = runtime.arn("kinesis", "stream/\(name)")
        self.runtime = runtime
        self.shardCount = max(1, shardCount)
        self.retentionPeriod = retentionPeriod
        self.store = runtime.storage.streams
        let next = try Self.open(name, kind: .kinesis, shardCount: max(1, shardCount), store: store)
        self.nextSequence = next
        let definition = StreamDefinition(kind: "kinesis", name: name, shardCount: max(1, shardCount), retentionPeriod: retentionPeriod)
        try runtime.registry.register(self, kind: .stream, name: name, arn: arn, storing: .stream, persist ? definition : nil, runtime: runtime)
        armPruningOfStoredRecords(next)
    }

    /// The stream of a DynamoDB table. Its ARN ends in the stream's label, the instant it was
    /// first created (`…:table/orders/stream/2025-11-24T10:00:00.000`); the label is stored in
    /// its definition, so the stream keeps its ARN when it is opened again on the same storage
    /// (created again in code, or by `EventFlowRuntime.restore()`).
    public init(dynamoDBTable table: String, runtime: EventFlowRuntime, shardCount: Int = 1) throws(AWSError) {
        try self.init(
            dynamoDBTable: table, runtime: runtime, shardCount: shardCount, label: runtime.storedStreamLabel(table), persist: true)
    }

    /// `persist: false` for a stream restored from its stored definition; `label` nil for a new
    /// stream (labelled with the runtime's current instant).
    init(dynamoDBTable table: String, runtime: EventFlowRuntime, shardCount: Int, label: String?, persist: Bool) throws(AWSError) {
        self.name = table
        self.kind = .dynamodb
        let label = label ?? String(AWSTime.milliseconds(runtime.clock.date(at: runtime.clock.now)).dropLast())  // 2025-11-24T10:00:00.000
        self.arn = runtime.arn("dynamodb", "table/\(table)/stream/\(label)")
        self.runtime = runtime
        self.shardCount = max(1, shardCount)
        self.retentionPeriod = .seconds(86_400)
        self.store = runtime.storage.streams
        let next = try Self.open(table, kind: .dynamodb, shardCount: max(1, shardCount), store: store)
        self.nextSequence = next
        let definition = StreamDefinition(
            kind: "dynamodb", name: table, shardCount: max(1, shardCount), retentionPeriod: .seconds(86_400), label: label)
        try runtime.registry.register(self, kind: .stream, name: name, arn: arn, storing: .stream, persist ? definition : nil, runtime: runtime)
        armPruningOfStoredRecords(next)
    }

    /// A stream opened with stored records prunes them in time even if nobody reads or writes it.
    private nonisolated func armPruningOfStoredRecords(_ nextSequence: Int) {
        guard nextSequence > 1 else { return }
        runtime.performSoon { [weak self] in await self?.armPruning() }
    }

    private static func open(_ name: String, kind: Kind, shardCount: Int, store: any StreamStore) throws(AWSError) -> Int {
        do {
            return try store.open(stream: name, kind: kind == .kinesis ? "kinesis" : "dynamodb", shardCount: shardCount)
        } catch let error as StreamStoreError {
            throw AWSError(.invalidArgument, "cannot open stream \(name): \(error)")
        } catch {
            throw AWSError(.internalFailure, "cannot open stream \(name): \(error)")
        }
    }

    public nonisolated func shardId(_ index: Int) -> String {
        let digits = String(index)
        return "shardId-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    /// Kinesis `PutRecord`: returns the shard id and sequence number once the record is stored
    /// (on SQLite, once the batch of writes holding it committed).
    @discardableResult
    public func putRecord(data: [UInt8], partitionKey: String) async throws(AWSError) -> (shardId: String, sequenceNumber: String) {
        try await append(data: data, change: nil, partitionKey: partitionKey)
    }

    @discardableResult
    public func putRecord(_ text: String, partitionKey: String) async throws(AWSError) -> (shardId: String, sequenceNumber: String) {
        try await putRecord(data: Array(text.utf8), partitionKey: partitionKey)
    }

    /// A DynamoDB item change: `eventName` is INSERT, MODIFY or REMOVE; keys and images are in
    /// DynamoDB's attribute-value JSON (`{"Id": {"N": "101"}}`). The stream view type is
    /// NEW_AND_OLD_IMAGES.
    @discardableResult
    public func putChange(
        eventName: String, keys: JSONValue, newImage: JSONValue? = nil, oldImage: JSONValue? = nil
    ) async throws(AWSError) -> (shardId: String, sequenceNumber: String) {
        var members: [JSONMember] = [JSONMember("Keys", keys)]
        if let newImage { members.append(JSONMember("NewImage", newImage)) }
        if let oldImage { members.append(JSONMember("OldImage", oldImage)) }
        let change: JSONValue = ["eventName": .string(eventName), "dynamodb": .object(members)]
        return try await append(data: [], change: change, partitionKey: keys.jsonText)
    }

    private func append(
        data: [UInt8], change: JSONValue?, partitionKey: String
    ) async throws(AWSError) -> (shardId: String, sequenceNumber: String) {
        let shard = Self.shard(for: partitionKey, count: shardCount)
        // Taken before the write: a write that fails leaves a gap (sequence numbers only increase).
        let sequence = nextSequence
        nextSequence += 1
        let stored = StoredStreamRecord(
            shard: shard, sequence: sequence, partitionKey: partitionKey, data: data, change: change?.jsonText,
            arrivedAt: runtime.clock.date(at: runtime.clock.now))
        do {
            try await store.append(stored, stream: name)
        } catch {
            throw AWSError(.internalFailure, "could not put a record to stream \(name): \(error)")
        }
        for listener in listeners { runtime.performSoon(listener) }
        armPruning(at: runtime.clock.offset(of: stored.arrivedAt) + retentionPeriod)
        return (shardId(shard), Self.sequenceNumber(sequence))
    }

    /// The sequence number as AWS prints it: zero-padded to 21 digits.
    static func sequenceNumber(_ sequence: Int) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 21 - digits.count)) + digits
    }

    /// A stored record as mappings and tests see it, its arrival an offset on the runtime's clock.
    private func record(_ r: StoredStreamRecord) throws -> Record {
        Record(
            shardId: shardId(r.shard), sequenceNumber: Self.sequenceNumber(r.sequence), partitionKey: r.partitionKey, data: r.data,
            change: try r.change.map { try JSONParser.parse($0) }, arrivedAt: runtime.clock.offset(of: r.arrivedAt),
            sequence: r.sequence, shardIndex: r.shard)
    }

    /// Kinesis maps the partition key's MD5, a 128-bit number, onto equal hash-key ranges.
    static func shard(for partitionKey: String, count: Int) -> Int {
        let digest = MD5.digest(partitionKey.utf8)
        let high = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int(high.multipliedFullWidth(by: UInt64(count)).high)
    }

    func addPutListener(_ listener: @escaping @Sendable () async -> Void) { listeners.append(listener) }

    /// The next sequence number to be written (for `LATEST`).
    var nextSequenceValue: Int { nextSequence }

    /// What a read of a shard from a sequence finds: unexpired records, oldest first; the records
    /// retention made unreadable and not pruned yet; and when `from` is at or below the shard's
    /// pruned records, the sequences deleted from `from` on (`from...prunedThrough`).
    struct Read {
        var records: [Record] = []
        var expired: [Record] = []
        var pruned: ClosedRange<Int>?
    }

    /// Reads a shard from `from` (see `Read`). A store that fails reads nothing (logged and
    /// recorded; the records stay for the next read).
    func read(shard: Int, from: Int, limit: Int) -> Read {
        trim()
        do {
            let through = try prunedThrough(shard: shard)
            let start = max(from, through + 1)
            return Read(
                records: try store.read(stream: name, shard: shard, from: start, limit: limit).map(record),
                expired: try store.expired(stream: name, shard: shard, from: start).map(record),
                pruned: from <= through ? from...through : nil)
        } catch {
            reportStorageFailure("read", error)
            return Read()
        }
    }

    /// Where `TRIM_HORIZON` starts in a shard: after its last record retention removed, so a new
    /// mapping reads the oldest record still readable and counts nothing as expired.
    func trimHorizon(shard: Int) -> Int {
        trim()
        do {
            let expired = try store.expired(stream: name, shard: shard, from: 0).last?.sequence ?? 0
            return max(expired, try prunedThrough(shard: shard)) + 1
        } catch {
            reportStorageFailure("find the trim horizon of", error)
            return 0
        }
    }

    /// The first sequence at or after `date` (for `AT_TIMESTAMP`).
    func firstSequence(arrivedAtOrAfter date: Date) -> Int {
        do { return try store.firstSequence(stream: name, arrivedAtOrAfter: date) ?? nextSequence } catch {
            reportStorageFailure("find the first record at a timestamp of", error)
            return nextSequence
        }
    }

    func trim() {
        do { _ = try store.expire(stream: name, arrivedAtOrBefore: runtime.clock.date(at: runtime.clock.now - retentionPeriod)) } catch {
            reportStorageFailure("expire records of", error)
        }
    }

    func reportStorageFailure(_ action: String, _ error: any Error) {
        runtime.reportStorageFailure("could not \(action) stream \(name): \(error)", resource: arn, metadata: ["stream": "\(name)"])
    }

    /// Every unexpired record, shard by shard (for inspection in tests).
    public var records: [Record] {
        trim()
        return stored(expired: false)
    }

    /// Records trimmed by retention and not pruned yet, whether or not anyone had read them,
    /// shard by shard (see `DataStream+Pruning.swift`).
    public var expiredRecords: [Record] { stored(expired: true) }

    private func stored(expired: Bool) -> [Record] {
        do { return try store.records(stream: name, expired: expired).map(record) } catch {
            reportStorageFailure("list the records of", error)
            return []
        }
    }
}
