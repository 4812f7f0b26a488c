import EventFlow
import Foundation
import GRDB

/// Queue messages in the `queue_message` table, in arrival order (`seq`). Instants are stored
/// as microseconds since 1970; attributes as a JSON object. Sends go through the storage's
/// commit batcher; receives, deletes and visibility changes are a transaction each.
struct SQLiteQueueStore: QueueStore {
    let database: DatabasePool
    let batcher: SQLiteCommitBatcher

    private static let columns =
        "seq, message_id, body, attributes, sent_at, visible_at, receive_count, receipt_handle, first_received_at"

    nonisolated(nonsending) func insert(_ message: StoredMessage, queue: String) async throws {
        try await batcher.perform { db in try Self.insert(message, queue: queue, db) }
    }

    static func insert(_ m: StoredMessage, queue: String, _ db: Database) throws {
        try db.run("""
            INSERT INTO queue_message (queue, message_id, body, attributes, sent_at, visible_at, receive_count, receipt_handle, first_received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """) { b in
            b.text(1, queue)
            b.text(2, m.messageId)
            b.text(3, m.body)
            b.text(4, encode(m.attributes))
            b.int(5, micros(m.sentAt))
            b.int(6, micros(m.visibleAt))
            b.int(7, m.receiveCount)
            b.text(8, m.receiptHandle)
            b.int(9, m.firstReceivedAt.map(micros))
        }
    }

    func claim(queue: String, now: Date, max: Int, hideUntil: Date, redrive: RedriveRule?, handle: () -> String) throws -> QueueClaim {
        try database.write { db in
            var claim = QueueClaim(received: [], redriven: [])
            var after: Int64 = 0
            // Visible messages in order, a page at a time; a page's redriven messages do not
            // count towards `max`, so another page may be needed.
            while claim.received.count < max {
                let rows = try Row.fetchAll(
                    db,
                    sql: "SELECT \(Self.columns) FROM queue_message WHERE queue = ? AND visible_at <= ? AND seq > ? ORDER BY seq LIMIT ?",
                    arguments: [queue, Self.micros(now), after, max - claim.received.count])
                if rows.isEmpty { break }
                for row in rows {
                    let seq: Int64 = row["seq"]
                    after = seq
                    var m = try Self.message(row)
                    if let redrive, m.receiveCount >= redrive.maxReceiveCount {
                        try db.cachedStatement(sql: "DELETE FROM queue_message WHERE seq = ?").execute(arguments: [seq])
                        m.receiveCount = 0
                        m.receiptHandle = ""
                        m.firstReceivedAt = nil
                        m.visibleAt = now
                        try Self.insert(m, queue: redrive.deadLetterQueue, db)
                        claim.redriven.append(m)
                        continue
                    }
                    m.receiveCount += 1
                    m.receiptHandle = handle()
                    if m.firstReceivedAt == nil { m.firstReceivedAt = now }
                    m.visibleAt = hideUntil
                    try db.cachedStatement(sql: "UPDATE queue_message SET receive_count = ?, receipt_handle = ?, first_received_at = ?, visible_at = ? WHERE seq = ?").execute(arguments: [m.receiveCount, m.receiptHandle, m.firstReceivedAt.map(Self.micros), Self.micros(m.visibleAt), seq])
                    claim.received.append(m)
                }
            }
            return claim
        }
    }

    func delete(queue: String, receiptHandle: String) throws -> Bool {
        try database.write { db in
            try db.cachedStatement(sql: "DELETE FROM queue_message WHERE queue = ? AND receipt_handle = ? AND receipt_handle != ''").execute(arguments: [queue, receiptHandle])
            return db.changesCount > 0
        }
    }

    func changeVisibility(queue: String, receiptHandle: String, visibleAt: Date) throws -> Bool {
        try database.write { db in
            try db.cachedStatement(sql: "UPDATE queue_message SET visible_at = ? WHERE queue = ? AND receipt_handle = ? AND receipt_handle != ''").execute(arguments: [Self.micros(visibleAt), queue, receiptHandle])
            return db.changesCount > 0
        }
    }

    func messages(queue: String) throws -> [StoredMessage] {
        try database.read { db in try Self.fetch(db, "WHERE queue = ? ORDER BY seq", [queue]) }
    }

    func count(queue: String) throws -> Int {
        try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM queue_message WHERE queue = ?", arguments: [queue]) ?? 0
        }
    }

    func removeExpired(queue: String, sentAtOrBefore cutoff: Date) throws -> [StoredMessage] {
        // Every receive asks; almost always nothing has expired, and a read costs far less than
        // an empty write transaction.
        let any = try database.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM queue_message WHERE queue = ? AND sent_at <= ?)",
                arguments: [queue, Self.micros(cutoff)]) ?? false
        }
        guard any else { return [] }
        return try remove(queue: queue, where: "AND sent_at <= ?", [Self.micros(cutoff)])
    }

    func removeAll(queue: String) throws -> [StoredMessage] {
        try remove(queue: queue, where: "", [])
    }

    private func remove(queue: String, where condition: String, _ extra: [Int64]) throws -> [StoredMessage] {
        try database.write { db in
            var arguments: StatementArguments = [queue]
            for value in extra { arguments += [value] }
            let removed = try Self.fetch(db, "WHERE queue = ? \(condition) ORDER BY seq", arguments)
            if !removed.isEmpty {
                try db.cachedStatement(sql: "DELETE FROM queue_message WHERE queue = ? \(condition)").execute(arguments: arguments)
            }
            return removed
        }
    }

    func nextVisibleAt(queue: String, after now: Date) throws -> Date? {
        try database.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT MIN(visible_at) FROM queue_message WHERE queue = ? AND visible_at > ?",
                arguments: [queue, Self.micros(now)]
            ).map(Self.date)
        }
    }

    // MARK: rows

    private static func fetch(_ db: Database, _ clause: String, _ arguments: StatementArguments) throws -> [StoredMessage] {
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM queue_message \(clause)", arguments: arguments).map(message)
    }

    private static func message(_ row: Row) throws -> StoredMessage {
        let firstReceived: Int64? = row["first_received_at"]
        return StoredMessage(
            messageId: row["message_id"], body: row["body"], attributes: try decode(row["attributes"]),
            receiptHandle: row["receipt_handle"], receiveCount: row["receive_count"], sentAt: date(row["sent_at"]),
            firstReceivedAt: firstReceived.map(date), visibleAt: date(row["visible_at"]))
    }

    static func micros(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }
    static func date(_ micros: Int64) -> Date { Date(timeIntervalSince1970: Double(micros) / 1_000_000) }

    /// `{"name": {"DataType": "String", "StringValue": "v"}}`, names sorted.
    static func encode(_ attributes: [String: Queue.Attribute]) -> String {
        if attributes.isEmpty { return "{}" }
        return JSONValue.object(
            attributes.keys.sorted().map { key in
                JSONMember(key, ["DataType": .string(attributes[key]!.dataType), "StringValue": .string(attributes[key]!.stringValue)])
            }
        ).jsonText
    }

    static func decode(_ text: String) throws -> [String: Queue.Attribute] {
        guard case .object(let members) = try JSONParser.parse(text) else { return [:] }
        var out: [String: Queue.Attribute] = [:]
        for m in members {
            out[m.key] = Queue.Attribute(dataType: m.value["DataType"]?.stringValue ?? "String", stringValue: m.value["StringValue"]?.stringValue ?? "")
        }
        return out
    }
}
