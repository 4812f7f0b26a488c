import DequeModule
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
        /// Arrival time as an offset on the runtime's clock.
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

    /// Per shard, unexpired records in sequence order (expiry removes from the front).
    private var shards: [Deque<Record>]
    /// Per shard, the records retention removed, in sequence order.
    private var expiredByShard: [[Record]]
    private var nextSequence = 1
    private var listeners: [@Sendable () async -> Void] = []
    /// Records trimmed by retention, whether or not anyone had read them.
    public private(set) var expiredRecords: [Record] = []

    public init(
        kinesis name: String, runtime: EventFlowRuntime, shardCount: Int = 1, retentionPeriod: Duration = .seconds(86_400)
    ) throws(AWSError) {
        self.name = name
        self.kind = .kinesis
        self.arn = runtime.arn("kinesis", "stream/\(name)")
        self.runtime = runtime
        self.shardCount = max(1, shardCount)
        self.retentionPeriod = retentionPeriod
        self.shards = Array(repeating: [], count: max(1, shardCount))
        self.expiredByShard = Array(repeating: [], count: max(1, shardCount))
        try runtime.registry.register(self, kind: .stream, name: name, arn: arn)
    }

    /// The stream of a DynamoDB table (label: the stream's creation time, as AWS names it).
    public init(dynamoDBTable table: String, runtime: EventFlowRuntime, shardCount: Int = 1) throws(AWSError) {
        self.name = table
        self.kind = .dynamodb
        let label = AWSTime.milliseconds(runtime.clock.startDate).dropLast()  // 2025-11-24T10:00:00.000
        self.arn = runtime.arn("dynamodb", "table/\(table)/stream/\(label)")
        self.runtime = runtime
        self.shardCount = max(1, shardCount)
        self.retentionPeriod = .seconds(86_400)
        self.shards = Array(repeating: [], count: max(1, shardCount))
        self.expiredByShard = Array(repeating: [], count: max(1, shardCount))
        try runtime.registry.register(self, kind: .stream, name: name, arn: arn)
    }

    public nonisolated func shardId(_ index: Int) -> String {
        let digits = String(index)
        return "shardId-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    /// Kinesis `PutRecord`: returns the shard id and sequence number.
    @discardableResult
    public func putRecord(data: [UInt8], partitionKey: String) -> (shardId: String, sequenceNumber: String) {
        append(data: data, change: nil, partitionKey: partitionKey)
    }

    @discardableResult
    public func putRecord(_ text: String, partitionKey: String) -> (shardId: String, sequenceNumber: String) {
        putRecord(data: Array(text.utf8), partitionKey: partitionKey)
    }

    /// A DynamoDB item change: `eventName` is INSERT, MODIFY or REMOVE; keys and images are in
    /// DynamoDB's attribute-value JSON (`{"Id": {"N": "101"}}`). The stream view type is
    /// NEW_AND_OLD_IMAGES.
    @discardableResult
    public func putChange(
        eventName: String, keys: JSONValue, newImage: JSONValue? = nil, oldImage: JSONValue? = nil
    ) -> (shardId: String, sequenceNumber: String) {
        var members: [JSONMember] = [JSONMember("Keys", keys)]
        if let newImage { members.append(JSONMember("NewImage", newImage)) }
        if let oldImage { members.append(JSONMember("OldImage", oldImage)) }
        let change: JSONValue = ["eventName": .string(eventName), "dynamodb": .object(members)]
        return append(data: [], change: change, partitionKey: keys.jsonText)
    }

    private func append(data: [UInt8], change: JSONValue?, partitionKey: String) -> (shardId: String, sequenceNumber: String) {
        let shard = Self.shard(for: partitionKey, count: shardCount)
        let sequence = nextSequence
        nextSequence += 1
        let digits = String(sequence)
        let sequenceNumber = String(repeating: "0", count: max(0, 21 - digits.count)) + digits
        let record = Record(
            shardId: shardId(shard), sequenceNumber: sequenceNumber, partitionKey: partitionKey, data: data, change: change,
            arrivedAt: runtime.clock.now, sequence: sequence, shardIndex: shard)
        shards[shard].append(record)
        for listener in listeners { runtime.performSoon(listener) }
        return (record.shardId, sequenceNumber)
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

    /// Unexpired records of a shard with a sequence at or after `from`, oldest first, and the
    /// sequences of any records at or after `from` that retention has removed.
    func read(shard: Int, from: Int, limit: Int) -> (records: [Record], expired: [Record]) {
        trim()
        let expired = expiredByShard[shard]
        let live = shards[shard]
        let start = Self.firstIndex(in: live, atOrAfter: from)
        return (Array(live[start..<min(live.count, start + limit)]),
            Array(expired[Self.firstIndex(in: expired, atOrAfter: from)...]))
    }

    /// Binary search: the first position whose record has a sequence at or after `sequence`.
    private static func firstIndex<C: RandomAccessCollection<Record>>(in records: C, atOrAfter sequence: Int) -> C.Index {
        var lo = records.startIndex
        var hi = records.endIndex
        while lo < hi {
            let mid = records.index(lo, offsetBy: records.distance(from: lo, to: hi) / 2)
            if records[mid].sequence < sequence { lo = records.index(after: mid) } else { hi = mid }
        }
        return lo
    }

    /// The first sequence at or after `offset` on the clock (for `AT_TIMESTAMP`).
    func firstSequence(arrivedAtOrAfter offset: Duration) -> Int {
        shards.joined().filter { $0.arrivedAt >= offset }.map(\.sequence).min() ?? nextSequence
    }

    private func trim() {
        let now = runtime.clock.now
        for i in shards.indices {
            while let first = shards[i].first, now - first.arrivedAt >= retentionPeriod {
                expiredRecords.append(first)
                expiredByShard[i].append(shards[i].removeFirst())
            }
        }
    }

    /// Every unexpired record, shard by shard (for inspection in tests).
    public var records: [Record] {
        trim()
        return Array(shards.joined())
    }
}
