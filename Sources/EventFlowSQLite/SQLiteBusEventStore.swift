import EventFlow
import Foundation
import GRDB

/// Accepted events not routed yet in `bus_event`, one row per bus and event id, in acceptance
/// order (`seq`); once routed, each target's delivery in `bus_delivery` until it ends. A
/// PutEvents request's events are one write through the storage's commit batcher; so is routing
/// an event (its removal with its deliveries' insertion), each retry's state, and each delivery's
/// end with the message it adds to a queue (`queue_message`).
struct SQLiteBusEventStore: BusEventStore {
    let database: DatabasePool
    let batcher: SQLiteCommitBatcher

    nonisolated(nonsending) func accept(_ events: [StoredBusEvent], historyLimit: Int) async throws {
        let rows = events.map { ($0.bus, $0.id, $0.event.jsonText) }
        try await batcher.perform { db in
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO bus_event (bus, event_id, body) VALUES (?, ?, ?)")
            for (bus, id, body) in rows { try insert.execute(arguments: [bus, id, body]) }
            guard historyLimit > 0 else { return }
            let remember = try db.cachedStatement(sql: "INSERT INTO bus_history (bus, body) VALUES (?, ?)")
            for (bus, _, body) in rows { try remember.execute(arguments: [bus, body]) }
            // Only the latest `historyLimit` of each bus stay.
            for bus in Set(rows.map(\.0)) {
                try db.cachedStatement(sql: """
                    DELETE FROM bus_history WHERE bus = ? AND seq <= (
                        SELECT seq FROM bus_history WHERE bus = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)
                    """).execute(arguments: [bus, bus, historyLimit])
            }
        }
    }

    func history(bus: String, limit: Int) throws -> [JSONValue] {
        guard limit > 0 else { return [] }
        let bodies = try database.read { db in
            try String.fetchAll(
                db, sql: "SELECT body FROM (SELECT seq, body FROM bus_history WHERE bus = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq",
                arguments: [bus, limit])
        }
        return try bodies.map { try JSONParser.parse($0) }
    }

    nonisolated(nonsending) func routed(bus: String, id: String, deliveries: [StoredTargetDelivery]) async throws {
        let rows: [StatementArguments] = deliveries.map { d in
            [
                d.key.bus, d.key.eventId, d.key.rule, d.key.targetId, d.ruleArn, d.targetKind.rawValue, d.targetName, d.targetArn,
                d.deadLetterQueue,
                d.maximumRetryAttempts, d.maximumEventAgeInSeconds, d.event.jsonText, d.input.jsonText,
                SQLiteQueueStore.micros(d.routedAt), d.attempts, SQLiteQueueStore.micros(d.dueAt),
            ]
        }
        try await batcher.perform { db in
            try db.cachedStatement(sql: "DELETE FROM bus_event WHERE bus = ? AND event_id = ?").execute(arguments: [bus, id])
            let insert = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO bus_delivery (bus, event_id, rule, target_id, rule_arn, target_kind, target_name, target_arn,
                    dead_letter_queue, maximum_retry_attempts, maximum_event_age, event, input, routed_at, attempts, due_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for row in rows { try insert.execute(arguments: row) }
        }
    }

    nonisolated(nonsending) func retrying(_ key: TargetDeliveryKey, attempts: Int, dueAt: Date) async throws {
        let due = SQLiteQueueStore.micros(dueAt)
        try await batcher.perform { db in
            try db.cachedStatement(sql: "UPDATE bus_delivery SET attempts = ?, due_at = ? \(Self.whereKey)")
                .execute(arguments: [attempts, due] + Self.arguments(key))
        }
    }

    nonisolated(nonsending) func finished(_ key: TargetDeliveryKey, outbox: [OutboxMessage]) async throws {
        try await batcher.perform { db in
            try db.cachedStatement(sql: "DELETE FROM bus_delivery \(Self.whereKey)").execute(arguments: Self.arguments(key))
            for m in outbox { try SQLiteQueueStore.insert(m.message, queue: m.queue, db) }
        }
    }

    private static let whereKey = "WHERE bus = ? AND event_id = ? AND rule = ? AND target_id = ?"

    private static func arguments(_ key: TargetDeliveryKey) -> StatementArguments {
        [key.bus, key.eventId, key.rule, key.targetId]
    }

    func pending(bus: String) throws -> [StoredBusEvent] {
        let rows = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT event_id, body FROM bus_event WHERE bus = ? ORDER BY seq", arguments: [bus])
        }
        return try rows.map { row in
            StoredBusEvent(bus: bus, id: row["event_id"], event: try JSONParser.parse(row["body"] as String))
        }
    }

    func pendingDeliveries(bus: String) throws -> [StoredTargetDelivery] {
        let rows = try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT event_id, rule, target_id, rule_arn, target_kind, target_name, target_arn, dead_letter_queue, maximum_retry_attempts,
                        maximum_event_age, event, input, routed_at, attempts, due_at
                    FROM bus_delivery WHERE bus = ? ORDER BY seq
                    """, arguments: [bus])
        }
        return try rows.map { row in
            let kind: String = row["target_kind"]
            guard let targetKind = ResourceRegistry.Kind(rawValue: kind) else { throw UnknownTargetKind(kind: kind) }
            return StoredTargetDelivery(
                key: TargetDeliveryKey(bus: bus, eventId: row["event_id"], rule: row["rule"], targetId: row["target_id"]),
                ruleArn: row["rule_arn"], targetKind: targetKind, targetName: row["target_name"], targetArn: row["target_arn"],
                deadLetterQueue: row["dead_letter_queue"],
                maximumRetryAttempts: row["maximum_retry_attempts"], maximumEventAgeInSeconds: row["maximum_event_age"],
                event: try JSONParser.parse(row["event"] as String), input: try JSONParser.parse(row["input"] as String),
                routedAt: SQLiteQueueStore.date(row["routed_at"]), attempts: row["attempts"], dueAt: SQLiteQueueStore.date(row["due_at"]))
        }
    }

    func busesWithPending() throws -> [String] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT bus FROM bus_event UNION SELECT bus FROM bus_delivery ORDER BY bus")
        }
    }
}

/// A stored delivery the store cannot read back: it names a target kind this version lacks.
struct UnknownTargetKind: Error, CustomStringConvertible {
    var kind: String
    var description: String { "a stored rule target delivery names the unknown target kind \"\(kind)\"" }
}
