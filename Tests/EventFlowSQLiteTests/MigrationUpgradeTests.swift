import EventFlow
import Foundation
import GRDB
import Testing

@testable import EventFlowSQLite

/// A file written by an earlier release opens with the current schema: the later migrations
/// run once, in order, and what the file held is still there.
@Suite("SQLite storage: upgrading an earlier file")
struct MigrationUpgradeTests {
    @Test("a file at v5 (bus events, no target deliveries) is migrated to the current schema with its queue message and stored event intact")
    func fromV5() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")
        do {
            // What the release with five migrations left: its schema and one row of each kind.
            let pool = try DatabasePool(path: path)
            try SQLiteSchema.migrator.migrate(pool, upTo: "v5: bus events accepted and not routed yet")
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO queue_message (queue, message_id, body, attributes, sent_at, visible_at, receive_count, receipt_handle)
                        VALUES ('jobs', 'm-1', 'hello', '{}', 1700000000000000, 1700000000000000, 0, '')
                        """)
                try db.execute(sql: #"INSERT INTO bus_event (bus, event_id, body) VALUES ('orders', 'e-1', '{"id":"e-1","source":"shop"}')"#)
            }
            try pool.close()
        }
        let storage = try SQLiteStorage(path: path)
        #expect(try storage.appliedMigrations() == [
            "v1: queue messages", "v2: async invocations", "v3: stream records and mapping checkpoints", "v4: resource definitions",
            "v5: bus events accepted and not routed yet", "v6: rule target deliveries not ended yet", "v7: stream prune horizons",
            "v8: bus accepted history",
        ])
        #expect(try storage.queues.messages(queue: "jobs").map(\.body) == ["hello"])
        #expect(try storage.busEvents.pending(bus: "orders") == [StoredBusEvent(bus: "orders", id: "e-1", event: ["id": "e-1", "source": "shop"])])
        #expect(try storage.busEvents.pendingDeliveries(bus: "orders").isEmpty)
        #expect(try storage.busEvents.history(bus: "orders", limit: 10).isEmpty)
        try storage.close()
    }
}
