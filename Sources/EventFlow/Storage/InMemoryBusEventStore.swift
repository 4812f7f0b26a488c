import Synchronization

/// Accepted events by bus and id, numbered in acceptance order, until they are routed; lost
/// with the process.
public final class InMemoryBusEventStore: BusEventStore {
    private struct State {
        var next = 0
        var buses: [String: [String: (seq: Int, event: StoredBusEvent)]] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    nonisolated(nonsending) public func accept(_ events: [StoredBusEvent]) async throws {
        state.withLock { s in
            for e in events where s.buses[e.bus]?[e.id] == nil {
                s.next += 1
                s.buses[e.bus, default: [:]][e.id] = (s.next, e)
            }
        }
    }

    nonisolated(nonsending) public func routed(bus: String, id: String) async throws {
        state.withLock { s in
            guard s.buses[bus]?.removeValue(forKey: id) != nil, s.buses[bus]!.isEmpty else { return }
            s.buses[bus] = nil
        }
    }

    public func pending(bus: String) -> [StoredBusEvent] {
        state.withLock { s in (s.buses[bus] ?? [:]).values.sorted { $0.seq < $1.seq }.map(\.event) }
    }

    public func busesWithPending() -> [String] { state.withLock { $0.buses.keys.sorted() } }
}
