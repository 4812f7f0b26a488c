import DequeModule
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
    /// Events buses accepted and have not routed yet, and deliveries their targets still owe.
    var busEvents: any BusEventStore { get }
}

/// Everything in this process's memory: lost when it ends.
public final class InMemoryStorage: RuntimeStorage {
    public let queues: any QueueStore
    public let invocations: any AsyncInvocationStore
    public let streams: any StreamStore
    public let checkpoints: any CheckpointStore
    public let definitions: any DefinitionStore = InMemoryDefinitionStore()
    public let busEvents: any BusEventStore
    public init() {
        let queues = InMemoryQueueStore()
        self.queues = queues
        self.busEvents = InMemoryBusEventStore(queues: queues)
        self.invocations = InMemoryAsyncInvocationStore(queues: queues)
        self.streams = InMemoryStreamStore()
        self.checkpoints = InMemoryCheckpointStore(queues: queues)
    }
}

extension RuntimeStorage where Self == InMemoryStorage {
    public static var inMemory: InMemoryStorage { InMemoryStorage() }
}

/// Messages in double-ended queues, one per queue, changed in place: receiving and deleting the
/// oldest messages cost the same however many wait behind them (an array copied on every claim
/// and shifted on every delete made draining n messages cost n²).
public final class InMemoryQueueStore: QueueStore {
    private struct State {
        var messages: [String: Deque<StoredMessage>] = [:]
        /// Per queue, no later than the earliest `sentAt` of its messages, so that a receive
        /// checks retention without reading every message (redriven messages keep their sent
        /// time, so a queue is not always in sent order).
        var sentNoEarlierThan: [String: Date] = [:]

        mutating func noteSent(_ date: Date, queue: String) {
            if let bound = sentNoEarlierThan[queue], bound <= date { return }
            sentNoEarlierThan[queue] = date
        }
    }
    private let state = Mutex(State())

    public init() {}

    nonisolated(nonsending) public func insert(_ message: StoredMessage, queue: String) async {
        state.withLock { s in
            s.messages[queue, default: []].append(message)
            s.noteSent(message.sentAt, queue: queue)
        }
    }

    public func claim(
        queue: String, now: Date, max: Int, hideUntil: Date, redrive: RedriveRule?, handle: () -> String
    ) -> QueueClaim {
        state.withLock { s in
            var claim = QueueClaim(received: [], redriven: [])
            Self.claim(
                in: &s.messages[queue, default: []], into: &claim, now: now, max: max, hideUntil: hideUntil, redrive: redrive,
                handle: handle)
            if let redrive, !claim.redriven.isEmpty {
                s.messages[redrive.deadLetterQueue, default: []].append(contentsOf: claim.redriven)
                for m in claim.redriven { s.noteSent(m.sentAt, queue: redrive.deadLetterQueue) }
            }
            return claim
        }
    }

    private static func claim(
        in stored: inout Deque<StoredMessage>, into claim: inout QueueClaim, now: Date, max: Int, hideUntil: Date,
        redrive: RedriveRule?, handle: () -> String
    ) {
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
    }

    public func delete(queue: String, receiptHandle: String) -> Bool {
        state.withLock { s in
            guard let i = s.messages[queue]?.firstIndex(where: { $0.receiptHandle == receiptHandle }) else { return false }
            s.messages[queue]!.remove(at: i)
            return true
        }
    }

    public func changeVisibility(queue: String, receiptHandle: String, visibleAt: Date) -> Bool {
        state.withLock { s in
            guard let i = s.messages[queue]?.firstIndex(where: { $0.receiptHandle == receiptHandle }) else { return false }
            s.messages[queue]![i].visibleAt = visibleAt
            return true
        }
    }

    public func messages(queue: String) -> [StoredMessage] { state.withLock { Array($0.messages[queue] ?? []) } }

    public func count(queue: String) -> Int { state.withLock { $0.messages[queue]?.count ?? 0 } }

    public func removeExpired(queue: String, sentAtOrBefore cutoff: Date) -> [StoredMessage] {
        state.withLock { s in
            guard let bound = s.sentNoEarlierThan[queue], bound <= cutoff, let stored = s.messages[queue] else { return [] }
            let expired: [StoredMessage] = stored.filter { $0.sentAt <= cutoff }
            if !expired.isEmpty { s.messages[queue] = Deque(stored.filter { $0.sentAt > cutoff }) }
            s.sentNoEarlierThan[queue] = s.messages[queue]?.lazy.map(\.sentAt).min()
            return expired
        }
    }

    public func removeAll(queue: String) -> [StoredMessage] {
        state.withLock { s in
            s.sentNoEarlierThan[queue] = nil
            return Array(s.messages.removeValue(forKey: queue) ?? [])
        }
    }

    public func nextVisibleAt(queue: String, after now: Date) -> Date? {
        state.withLock { $0.messages[queue]?.lazy.map(\.visibleAt).filter { $0 > now }.min() }
    }
}
