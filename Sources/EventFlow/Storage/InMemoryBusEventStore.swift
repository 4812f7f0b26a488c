import Foundation
import Synchronization

/// Accepted events by bus and id, numbered in acceptance order, until they are routed, then
/// their targets' deliveries until they end; lost with the process. Outbox messages go to the
/// storage's in-memory queues.
public final class InMemoryBusEventStore: BusEventStore {
    private struct State {
        var next = 0
        var buses: [String: [String: (seq: Int, event: StoredBusEvent)]] = [:]
        var deliveries: [TargetDeliveryKey: (seq: Int, delivery: StoredTargetDelivery)] = [:]
    }

    private let state = Mutex(State())
    private let queues: any QueueStore

    public init(queues: any QueueStore) { self.queues = queues }

    /// The history is the bus's own (nothing outlives the process): `historyLimit` is unused.
    nonisolated(nonsending) public func accept(_ events: [StoredBusEvent], historyLimit: Int) async throws {
        state.withLock { s in
            for e in events where s.buses[e.bus]?[e.id] == nil {
                s.next += 1
                s.buses[e.bus, default: [:]][e.id] = (s.next, e)
            }
        }
    }

    nonisolated(nonsending) public func routed(bus: String, id: String, deliveries: [StoredTargetDelivery]) async throws {
        state.withLock { s in
            if s.buses[bus]?.removeValue(forKey: id) != nil, s.buses[bus]!.isEmpty { s.buses[bus] = nil }
            for d in deliveries where s.deliveries[d.key] == nil {
                s.next += 1
                s.deliveries[d.key] = (s.next, d)
            }
        }
    }

    nonisolated(nonsending) public func retrying(_ key: TargetDeliveryKey, attempts: Int, dueAt: Date) async throws {
        state.withLock { s in
            s.deliveries[key]?.delivery.attempts = attempts
            s.deliveries[key]?.delivery.dueAt = dueAt
        }
    }

    nonisolated(nonsending) public func finished(_ key: TargetDeliveryKey, outbox: [OutboxMessage]) async throws {
        _ = state.withLock { $0.deliveries.removeValue(forKey: key) }
        for m in outbox { try await queues.insert(m.message, queue: m.queue) }
    }

    public func pending(bus: String) -> [StoredBusEvent] {
        state.withLock { s in (s.buses[bus] ?? [:]).values.sorted { $0.seq < $1.seq }.map(\.event) }
    }

    public func pendingDeliveries(bus: String) -> [StoredTargetDelivery] {
        state.withLock { s in s.deliveries.values.filter { $0.delivery.key.bus == bus }.sorted { $0.seq < $1.seq }.map(\.delivery) }
    }

    public func busesWithPending() -> [String] {
        state.withLock { s in Set(s.buses.keys).union(s.deliveries.keys.map(\.bus)).sorted() }
    }

    public func history(bus: String, limit: Int) -> [JSONValue] { [] }
}
