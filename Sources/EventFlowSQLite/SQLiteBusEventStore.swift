import EventFlow
import GRDB

/// Accepted events not routed yet in `bus_event`, one row per bus and event id, in acceptance
/// order (`seq`). A PutEvents request's events are one write through the storage's commit
/// batcher, and so is each removal after routing.
struct SQLiteBusEventStore: BusEventStore {
    let database: DatabasePool
    let batcher: SQLiteCommitBatcher

    nonisolated(nonsending) func accept(_ events: [StoredBusEvent]) async throws {
        let rows = events.map { ($0.bus, $0.id, $0.event.jsonText) }
        try await batcher.perform { db in
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO bus_event (bus, event_id, body) VALUES (?, ?, ?)")
            for (bus, id, body) in rows { try insert.execute(arguments: [bus, id, body]) }
        }
    }

    nonisolated(nonsending) func routed(bus: String, id: String) async throws {
        try await batcher.perform { db in
            try db.cachedStatement(sql: "DELETE FROM bus_event WHERE bus = ? AND event_id = ?").execute(arguments: [bus, id])
        }
    }

    func pending(bus: String) throws -> [StoredBusEvent] {
        let rows = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT event_id, body FROM bus_event WHERE bus = ? ORDER BY seq", arguments: [bus])
        }
        return try rows.map { row in
            StoredBusEvent(bus: bus, id: row["event_id"], event: try JSONParser.parse(row["body"] as String))
        }
    }

    func busesWithPending() throws -> [String] {
        try database.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT bus FROM bus_event ORDER BY bus") }
    }
}
