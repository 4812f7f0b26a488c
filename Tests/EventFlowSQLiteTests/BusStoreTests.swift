import EventFlow
import EventFlowSQLite
import Foundation
import Testing

/// The bus store's contract, the same in memory and on SQLite: an event routed is replaced by
/// its targets' deliveries; a delivery keeps its retry state until it ends, and its end writes
/// its outbox messages into the storage's queues.
@Suite("Bus store: accepted events, then target deliveries until they end")
struct BusStoreTests {
    static let at = Date(timeIntervalSince1970: 1_763_978_400.25)

    static func delivery(_ event: String, _ target: String, dlq: String? = nil) -> StoredTargetDelivery {
        StoredTargetDelivery(
            key: TargetDeliveryKey(bus: "orders", eventId: event, rule: "all", targetId: target),
            ruleArn: "arn:aws:events:us-east-1:123456789012:rule/orders/all", targetKind: .queue, targetName: "jobs",
            targetArn: "arn:aws:sqs:us-east-1:123456789012:jobs", deadLetterQueue: dlq, maximumRetryAttempts: 3,
            maximumEventAgeInSeconds: 600, event: ["id": .string(event), "detail": ["n": 1]], input: ["n": 1], routedAt: at, dueAt: at)
    }

    @Test("routed replaces the event by its deliveries; retrying saves attempts and due time; finished removes with its outbox", arguments: StoreKind.allCases)
    func contract(store: StoreKind) async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var storage = try store.storage(scratch)
        let bus = storage.busEvents
        try await bus.accept([StoredBusEvent(bus: "orders", id: "e1", event: ["id": "e1"]), StoredBusEvent(bus: "orders", id: "e2", event: ["id": "e2"])])
        let (d1, d2) = (Self.delivery("e1", "q"), Self.delivery("e1", "r", dlq: "dlq"))
        try await bus.routed(bus: "orders", id: "e1", deliveries: [d1, d2])
        #expect(try bus.pending(bus: "orders").map(\.id) == ["e2"])
        #expect(try bus.pendingDeliveries(bus: "orders") == [d1, d2])
        try await bus.retrying(d2.key, attempts: 2, dueAt: Self.at.addingTimeInterval(1.5))
        var retried = d2
        retried.attempts = 2
        retried.dueAt = Self.at.addingTimeInterval(1.5)
        if let sqlite = storage as? SQLiteStorage {
            // What a restart finds.
            try sqlite.close()
            storage = try SQLiteStorage(path: sqlite.path)
        }
        #expect(try storage.busEvents.pendingDeliveries(bus: "orders") == [d1, retried])
        #expect(try storage.busEvents.busesWithPending() == ["orders"])
        let message = StoredMessage(messageId: "m-1", body: #"{"n":1}"#, attributes: [:], sentAt: Self.at, visibleAt: Self.at)
        try await storage.busEvents.finished(d1.key, outbox: [OutboxMessage(queue: "jobs", message: message)])
        #expect(try storage.busEvents.pendingDeliveries(bus: "orders") == [retried])
        #expect(try storage.queues.messages(queue: "jobs") == [message])
        try await storage.busEvents.finished(d2.key, outbox: [])
        #expect(try storage.busEvents.busesWithPending() == ["orders"], "e2 is still to be routed")
        try await storage.busEvents.routed(bus: "orders", id: "e2", deliveries: [])
        #expect(try storage.busEvents.busesWithPending().isEmpty)
        try (storage as? SQLiteStorage)?.close()
    }
}
