import Foundation

/// An event a bus accepted, kept until it has been routed to its rules' targets.
public struct StoredBusEvent: Sendable, Equatable {
    public var bus: String
    /// The event's `id` (PutEvents' EventId).
    public var id: String
    /// The whole EventBridge envelope.
    public var event: JSONValue

    public init(bus: String, id: String, event: JSONValue) {
        self.bus = bus
        self.id = id
        self.event = event
    }
}

/// Where buses keep what they owe: the events they accepted and have not routed yet, and once an
/// event is routed, what each target of its matching rules still owes (`StoredTargetDelivery`).
/// PutEvents answers "accepted" only once its events are stored; routing an event replaces it by
/// its targets' deliveries in one transaction; a delivery is removed when it ends (delivered,
/// dead-lettered or dropped), in the same transaction as the message it puts in a queue of the
/// same storage. After a restart the events still stored are routed again and the deliveries
/// resume at their due time (`EventFlowRuntime.resumeStoredWork()`).
public protocol BusEventStore: Sendable {
    /// Stores the events of one PutEvents request (or a forwarded event) in one transaction; an
    /// event already stored (a forwarded event delivered again) is kept once. A durable store
    /// also keeps them in the bus's accepted history, in the same transaction, with only the
    /// latest `historyLimit` events of the bus (0 keeps none).
    nonisolated(nonsending) func accept(_ events: [StoredBusEvent], historyLimit: Int) async throws
    /// The bus's accepted history kept by `accept`: at most the latest `limit` events, oldest
    /// first (empty in memory, where the bus's own history is all there is).
    func history(bus: String, limit: Int) throws -> [JSONValue]
    /// Removes a routed event and stores its targets' deliveries, in one transaction.
    nonisolated(nonsending) func routed(bus: String, id: String, deliveries: [StoredTargetDelivery]) async throws
    /// Saves a delivery's state after a failed attempt that is retried.
    nonisolated(nonsending) func retrying(_ key: TargetDeliveryKey, attempts: Int, dueAt: Date) async throws
    /// Removes an ended delivery and adds `outbox` (the delivered message, or the event for the
    /// dead-letter queue) to its queues, in one transaction.
    nonisolated(nonsending) func finished(_ key: TargetDeliveryKey, outbox: [OutboxMessage]) async throws
    /// The bus's stored events, in the order they were accepted.
    func pending(bus: String) throws -> [StoredBusEvent]
    /// The bus's stored deliveries, in the order they were stored.
    func pendingDeliveries(bus: String) throws -> [StoredTargetDelivery]
    /// The buses that have stored events or deliveries.
    func busesWithPending() throws -> [String]
}

extension BusEventStore {
    /// Stores events without adding them to the accepted history.
    nonisolated(nonsending) public func accept(_ events: [StoredBusEvent]) async throws {
        try await accept(events, historyLimit: 0)
    }
}
