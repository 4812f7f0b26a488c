import EventFlow
import Foundation
import GRDB
import Synchronization

/// Accepted asynchronous invocations in the `async_invocation` table until they end; ending
/// one and writing its outbox messages to `queue_message` is one transaction. Writes go through
/// the storage's commit batcher: several invocations' writes may share a transaction, and each
/// call returns once its own has committed.
struct SQLiteAsyncInvocationStore: AsyncInvocationStore {
    let database: DatabasePool
    let batcher: SQLiteCommitBatcher
    /// Attempts started whose end or retry is not queued yet (see `noteStarted`).
    let unwrittenStarts = UnwrittenStarts()

    var isDurable: Bool { true }

    nonisolated(nonsending) func insert(_ i: StoredInvocation) async throws {
        try await batcher.perform { db in
            try db.run("""
                INSERT INTO async_invocation (request_id, function, qualifier, payload, enqueued_at, attempts, started_attempts,
                    due_at, last_response, executed_version, function_error, last_error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """) { b in
                b.text(1, i.requestId)
                b.text(2, i.function)
                b.text(3, i.qualifier)
                b.text(4, i.payload)
                b.int(5, SQLiteQueueStore.micros(i.enqueuedAt))
                b.int(6, i.attempts)
                b.int(7, i.startedAttempts)
                b.int(8, SQLiteQueueStore.micros(i.dueAt))
                b.text(9, i.lastResponse)
                b.text(10, i.executedVersion)
                b.text(11, i.functionError)
                b.text(12, i.lastError)
            }
        }
    }

    func noteStarted(requestId: String, attempt: Int, failed: @escaping @Sendable (any Error) -> Void) {
        let starts = unwrittenStarts
        starts.add(requestId)
        batcher.submit(failed: failed) { db in
            // The invocation's end or retry already queued (a quick handler) writes what the
            // note would: the row's end, or its started attempts; the note is skipped. (Not
            // taken here: a batch that rolls back runs this write again, alone.)
            guard starts.contains(requestId) else { return }
            try db.run("UPDATE async_invocation SET started_attempts = MAX(started_attempts, ?) WHERE request_id = ?") { b in
                b.int(1, attempt)
                b.text(2, requestId)
            }
        }
    }

    nonisolated(nonsending) func update(_ i: StoredInvocation) async throws {
        unwrittenStarts.take(i.requestId)
        try await batcher.perform { db in
            try db.run("""
                UPDATE async_invocation SET attempts = ?, started_attempts = MAX(started_attempts, ?), due_at = ?, last_response = ?,
                    executed_version = ?, function_error = ?, last_error = ? WHERE request_id = ?
                """) { b in
                b.int(1, i.attempts)
                b.int(2, i.startedAttempts)
                b.int(3, SQLiteQueueStore.micros(i.dueAt))
                b.text(4, i.lastResponse)
                b.text(5, i.executedVersion)
                b.text(6, i.functionError)
                b.text(7, i.lastError)
                b.text(8, i.requestId)
            }
        }
    }

    nonisolated(nonsending) func complete(requestId: String, outbox: [OutboxMessage]) async throws {
        unwrittenStarts.take(requestId)
        try await batcher.perform { db in
            try db.run("DELETE FROM async_invocation WHERE request_id = ?") { $0.text(1, requestId) }
            for m in outbox { try SQLiteQueueStore.insert(m.message, queue: m.queue, db) }
        }
    }

    func pendingCount(function: String) throws -> Int {
        try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM async_invocation WHERE function = ?", arguments: [function]) ?? 0
        }
    }

    func pending(function: String) throws -> [StoredInvocation] {
        // Columns by position, rows from a cursor: a start-up reads every pending invocation.
        try database.read { db in
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: """
                    SELECT request_id, qualifier, payload, enqueued_at, attempts, started_attempts, due_at, last_response,
                        executed_version, function_error, last_error
                    FROM async_invocation WHERE function = ? ORDER BY seq
                    """), arguments: [function])
            var out: [StoredInvocation] = []
            while let row = try rows.next() {
                out.append(
                    StoredInvocation(
                        requestId: row[0], function: function, qualifier: row[1], payload: row[2],
                        enqueuedAt: SQLiteQueueStore.date(row[3]), attempts: row[4], startedAttempts: row[5],
                        dueAt: SQLiteQueueStore.date(row[6]), lastResponse: row[7], executedVersion: row[8], functionError: row[9],
                        lastError: row[10]))
            }
            return out
        }
    }
}

/// Request ids whose attempt has started and whose end or retry has not been queued yet: a
/// start note whose invocation's end or retry is queued before it is written is not needed
/// (those are queued after it, so they commit in the same transaction or the next).
final class UnwrittenStarts: Sendable {
    private let ids = Mutex(Set<String>())

    func add(_ requestId: String) { _ = ids.withLock { $0.insert(requestId) } }

    func contains(_ requestId: String) -> Bool { ids.withLock { $0.contains(requestId) } }

    /// Removes `requestId` (its end or retry is queued).
    func take(_ requestId: String) { _ = ids.withLock { $0.remove(requestId) } }
}
