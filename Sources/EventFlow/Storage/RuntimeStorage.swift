import Foundation
import Synchronization

/// Where a runtime keeps what must outlive a process. In memory by default (what tests use);
/// `EventFlowSQLite` provides a SQLite file (`EventFlowRuntime(storage: try .sqlite(path:))`).
public protocol RuntimeStorage: Sendable {
    var queues: any QueueStore { get }
    var invocations: any AsyncInvocationStore { get }
    var streams: any StreamStore { get }
    var checkpoints: any CheckpointStore { get }
    /// Resources' definitions (queues, streams, buses, rules, event invoke configs, mappings).
    var definitions: any DefinitionStore { get }
    /// Events buses accepted and have not routed to their targets yet.
    var busEvents: any BusEventStore { get }
}

/// Everything in this process's memory: lost when it ends.
public final class InMemoryStorage: RuntimeStorage {
    public let queues: any QueueStore
    public let invocations: any AsyncInvocationStore
    public let streams: any StreamStore
    public let checkpoints: any CheckpointStore
    public let definitions: any DefinitionStore = InMemoryDefinitionStore()
    public let busEvents: any BusEventStore = InMemoryBusEventStore()
    public init() {
        let queues = InMemoryQueueStore()
        self.queues = queues
        self.invocations = InMemoryAsyncInvocationStore(queues: queues)
        self.streams = InMemoryStreamStore()
        self.checkpoints = InMemoryCheckpointStore(queues: queues)
    }
}

extension RuntimeStorage where Self == InMemoryStorage {
    public static var inMemory: InMemoryStorage { InMemoryStorage() }
}

/// Messages in arrays, one per queue.
public final class InMemoryQueueStore: QueueStore {
    private let queues = Mutex<[String: [StoredMessage]]>([:])

    public init() {}

    nonisolated(nonsending) public func insert(_ message: StoredMessage, queue: String) async {
        queues.withLock { $0[queue, default: []].append(message) }
    }

    public func claim(
        queue: String, now: Date, max: Int, hideUntil: Date, redrive: RedriveRule?, handle: () -> String
    ) -> QueueClaim {
        queues.withLock { all in
            var stored = all[queue] ?? []
            var claim = QueueClaim(received: [], redriven: [])
            var i = 0
            while i < stored.count && claim.received.count < max {
                guard stored[i].visibleAt <= now else {
                    i += 1
                    continue
                }
                if let redrive, stored[i].receiveCount >= redrive.maxReceiveCount {
                    var moved = stored.remove(at: i)
                    moved.receiveCount = 0
                    moved.receiptHandle = ""
                    moved.firstReceivedAt = nil
                    moved.visibleAt = now
                    claim.redriven.append(moved)
                    continue
                }
                stored[i].receiveCount += 1
                stored[i].receiptHandle = handle()
                if stored[i].firstReceivedAt == nil { stored[i].firstReceivedAt = now }
                stored[i].visibleAt = hideUntil
                claim.received.append(stored[i])
                i += 1
            }
            all[queue] = stored
            if let redrive, !claim.redriven.isEmpty { all[redrive.deadLetterQueue, default: []] += claim.redriven }
            return claim
        }
    }

    public func delete(queue: String, receiptHandle: String) -> Bool {
        queues.withLock { all in
            guard let i = all[queue]?.firstIndex(where: { $0.receiptHandle == receiptHandle }) else { return false }
            all[queue]!.remove(at: i)
            return true
        }
    }

    public func changeVisibility(queue: String, receiptHandle: String, visibleAt: Date) -> Bool {
        queues.withLock { all in
            guard let i = all[queue]?.firstIndex(where: { $0.receiptHandle == receiptHandle }) else { return false }
            all[queue]![i].visibleAt = visibleAt
            return true
        }
    }

    public func messages(queue: String) -> [StoredMessage] { queues.withLock { $0[queue] ?? [] } }

    public func count(queue: String) -> Int { queues.withLock { $0[queue]?.count ?? 0 } }

    public func removeExpired(queue: String, sentAtOrBefore cutoff: Date) -> [StoredMessage] {
        queues.withLock { all in
            guard let stored = all[queue], stored.contains(where: { $0.sentAt <= cutoff }) else { return [] }
            all[queue] = stored.filter { $0.sentAt > cutoff }
            return stored.filter { $0.sentAt <= cutoff }
        }
    }

    public func removeAll(queue: String) -> [StoredMessage] {
        queues.withLock { all in all.removeValue(forKey: queue) ?? [] }
    }

    public func nextVisibleAt(queue: String, after now: Date) -> Date? {
        queues.withLock { $0[queue]?.lazy.map(\.visibleAt).filter { $0 > now }.min() }
    }
}
