import EventFlow
import Foundation
import GRDB

/// Accepted asynchronous invocations in the `async_invocation` table until they end; ending
/// one and writing its outbox messages to `queue_message` is one transaction.
final class SQLiteAsyncInvocationStore: AsyncInvocationStore {
    private let database: DatabasePool

    init(database: DatabasePool) { self.database = database }

    var isDurable: Bool { true }

    func insert(_ i: StoredInvocation) throws {
        try database.write { db in
            try db.cachedStatement(sql: """
                    INSERT INTO async_invocation (request_id, function, qualifier, payload, enqueued_at, attempts, started_attempts,
                        due_at, last_response, executed_version, function_error, last_error)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [
                    i.requestId, i.function, i.qualifier, i.payload, SQLiteQueueStore.micros(i.enqueuedAt), i.attempts, i.startedAttempts,
                    SQLiteQueueStore.micros(i.dueAt), i.lastResponse, i.executedVersion, i.functionError, i.lastError,
                ])
        }
    }

    func markStarted(requestId: String, attempt: Int) throws {
        try database.write { db in
            try db.cachedStatement(sql: "UPDATE async_invocation SET started_attempts = MAX(started_attempts, ?) WHERE request_id = ?").execute(arguments: [attempt, requestId])
        }
    }

    func update(_ i: StoredInvocation) throws {
        try database.write { db in
            try db.cachedStatement(sql: """
                    UPDATE async_invocation SET attempts = ?, started_attempts = MAX(started_attempts, ?), due_at = ?, last_response = ?,
                        executed_version = ?, function_error = ?, last_error = ? WHERE request_id = ?
                    """).execute(arguments: [
                    i.attempts, i.startedAttempts, SQLiteQueueStore.micros(i.dueAt), i.lastResponse, i.executedVersion, i.functionError,
                    i.lastError, i.requestId,
                ])
        }
    }

    func complete(requestId: String, outbox: [OutboxMessage]) throws {
        try database.write { db in
            try db.cachedStatement(sql: "DELETE FROM async_invocation WHERE request_id = ?").execute(arguments: [requestId])
            for m in outbox { try SQLiteQueueStore.insert(m.message, queue: m.queue, db) }
        }
    }

    func pendingCount(function: String) throws -> Int {
        try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM async_invocation WHERE function = ?", arguments: [function]) ?? 0
        }
    }

    func pending(function: String) throws -> [StoredInvocation] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM async_invocation WHERE function = ? ORDER BY seq", arguments: [function]).map { row in
                StoredInvocation(
                    requestId: row["request_id"], function: row["function"], qualifier: row["qualifier"], payload: row["payload"],
                    enqueuedAt: SQLiteQueueStore.date(row["enqueued_at"]), attempts: row["attempts"],
                    startedAttempts: row["started_attempts"], dueAt: SQLiteQueueStore.date(row["due_at"]),
                    lastResponse: row["last_response"], executedVersion: row["executed_version"], functionError: row["function_error"],
                    lastError: row["last_error"])
            }
        }
    }
}
