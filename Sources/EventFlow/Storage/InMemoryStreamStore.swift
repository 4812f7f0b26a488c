import DequeModule
import Foundation
import Synchronization

/// Stream records in memory, per shard a deque of unexpired records (retention removes from the
/// front) and a deque of the expired ones (pruning removes from the front). Lost when the
/// process ends.
public final class InMemoryStreamStore: StreamStore {
    private struct Stream {
        var kind: String
        var nextSequence = 1
        var live: [Deque<StoredStreamRecord>]
        var expired: [Deque<StoredStreamRecord>]
        var prunedThrough: [Int]
    }

    private let streams = Mutex<[String: Stream]>([:])

    public init() {}

    public func open(stream: String, kind: String, shardCount: Int) throws -> Int {
        try streams.withLock { all in
            if let s = all[stream] {
                guard s.kind == kind, s.live.count == shardCount else {
                    throw StreamStoreError.shapeChanged(
                        stream: stream, stored: "\(s.kind) with \(s.live.count) shards", requested: "\(kind) with \(shardCount) shards")
                }
                return s.nextSequence
            }
            all[stream] = Stream(
                kind: kind, live: Array(repeating: [], count: shardCount), expired: Array(repeating: [], count: shardCount),
                prunedThrough: Array(repeating: 0, count: shardCount))
            return 1
        }
    }

    nonisolated(nonsending) public func append(_ record: StoredStreamRecord, stream: String) async throws {
        try streams.withLock { all in
            guard all[stream] != nil, all[stream]!.live.indices.contains(record.shard) else {
                throw StreamStoreError.unknownStream(stream)
            }
            all[stream]!.live[record.shard].append(record)
            all[stream]!.nextSequence = max(all[stream]!.nextSequence, record.sequence + 1)
        }
    }

    public func read(stream: String, shard: Int, from: Int, limit: Int) -> [StoredStreamRecord] {
        streams.withLock { all in
            guard let live = all[stream]?.live[shard] else { return [] }
            let start = Self.firstIndex(in: live, atOrAfter: from)
            return Array(live[start..<min(live.count, start + limit)])
        }
    }

    public func expired(stream: String, shard: Int, from: Int) -> [StoredStreamRecord] {
        streams.withLock { all in
            guard let expired = all[stream]?.expired[shard] else { return [] }
            return Array(expired[Self.firstIndex(in: expired, atOrAfter: from)...])
        }
    }

    public func expire(stream: String, arrivedAtOrBefore cutoff: Date) -> Int {
        streams.withLock { all in
            // Almost always nothing has expired: look before writing (a write copies nothing then).
            guard all[stream]?.live.contains(where: { ($0.first?.arrivedAt).map { $0 <= cutoff } ?? false }) == true else { return 0 }
            var count = 0
            for i in 0..<all[stream]!.live.count {
                while let first = all[stream]!.live[i].first, first.arrivedAt <= cutoff {
                    all[stream]!.expired[i].append(all[stream]!.live[i].removeFirst())
                    count += 1
                }
            }
            return count
        }
    }

    public func records(stream: String, expired: Bool) -> [StoredStreamRecord] {
        streams.withLock { all in
            guard let s = all[stream] else { return [] }
            return expired ? Array(s.expired.joined()) : Array(s.live.joined())
        }
    }

    public func firstSequence(stream: String, arrivedAtOrAfter date: Date) -> Int? {
        streams.withLock { all in all[stream]?.live.joined().filter { $0.arrivedAt >= date }.map(\.sequence).min() }
    }

    public func prune(stream: String, shard: Int, below sequence: Int, orArrivedAtOrBefore cutoff: Date) -> Int {
        streams.withLock { all in
            var count = 0
            while let first = all[stream]!.expired[shard].first, first.sequence < sequence || first.arrivedAt <= cutoff {
                all[stream]!.prunedThrough[shard] = all[stream]!.expired[shard].removeFirst().sequence
                count += 1
            }
            return count
        }
    }

    public func prunedThrough(stream: String, shard: Int) -> Int {
        streams.withLock { all in all[stream]?.prunedThrough[shard] ?? 0 }
    }

    public func oldestArrivals(stream: String) -> (unexpired: Date?, expired: Date?) {
        streams.withLock { all in
            guard let s = all[stream] else { return (nil, nil) }
            return (s.live.compactMap(\.first?.arrivedAt).min(), s.expired.compactMap(\.first?.arrivedAt).min())
        }
    }

    /// Binary search: the first position whose record has a sequence at or after `sequence`.
    private static func firstIndex<C: RandomAccessCollection<StoredStreamRecord>>(in records: C, atOrAfter sequence: Int) -> C.Index {
        var lo = records.startIndex
        var hi = records.endIndex
        while lo < hi {
            let mid = records.index(lo, offsetBy: records.distance(from: lo, to: hi) / 2)
            if records[mid].sequence < sequence { lo = records.index(after: mid) } else { hi = mid }
        }
        return lo
    }
}
