import EventFlow
import Foundation
import Synchronization
import Testing

@testable import EventFlowSQLite

/// An attempt's start is noted for the next commit without being waited for: it commits in
/// order with the writes queued after it, a failure reaches the caller's closure, and a note
/// whose invocation ended first is not needed.
@Suite("SQLite storage: attempt-start notes")
struct AttemptStartNoteTests {
    @Test("a start note commits before any write queued after it, and a reopened file shows the started attempt")
    func noteCommitsInOrder() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")
        do {
            let storage = try SQLiteStorage(path: path)
            try await storage.invocations.insert(CommitBatchingTests.invocation("n1"))
            let failures = Mutex<[String]>([])
            storage.invocations.noteStarted(requestId: "n1", attempt: 1) { error in failures.withLock { $0.append("\(error)") } }
            // Queued after the note: once it has committed, so has the note.
            try await storage.invocations.insert(CommitBatchingTests.invocation("n2"))
            #expect(failures.withLock { $0 } == [])
            let stored = try storage.invocations.pending(function: "f")
            #expect(stored.map(\.requestId) == ["n1", "n2"])
            #expect(stored.map(\.startedAttempts) == [1, 0])
            #expect(stored.map(\.attempts) == [0, 0])
            try storage.close()
        }
        let reopened = try SQLiteStorage(path: path)
        #expect(try reopened.invocations.pending(function: "f").map(\.startedAttempts) == [1, 0])
    }

    @Test("an invocation that ends before its start note is written ends all the same: no row, no failure")
    func endBeforeNote() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // A 200 ms window: the note and the end are queued into the same batch.
        let storage = try SQLiteStorage(path: scratch.path("flow.db"), commits: .batched(maxOperations: 100, maxDelay: .milliseconds(200)))
        try await storage.invocations.insert(CommitBatchingTests.invocation("q1"))
        let transactionsBefore = storage.committedBatches.transactions
        let failures = Mutex<[String]>([])
        storage.invocations.noteStarted(requestId: "q1", attempt: 1) { error in failures.withLock { $0.append("\(error)") } }
        let record = StoredMessage(
            messageId: "m1", body: "{\"done\":true}", attributes: [:], sentAt: Date(timeIntervalSince1970: 1_700_000_000),
            visibleAt: Date(timeIntervalSince1970: 1_700_000_000))
        try await storage.invocations.complete(requestId: "q1", outbox: [OutboxMessage(queue: "done", message: record)])
        #expect(storage.committedBatches.transactions == transactionsBefore + 1)
        #expect(try storage.invocations.pendingCount(function: "f") == 0)
        #expect(try storage.queues.messages(queue: "done").map(\.body) == ["{\"done\":true}"])
        #expect(failures.withLock { $0 } == [])
    }

    @Test("a write queued without waiting reports its own failure to its closure; the writes around it are stored")
    func submittedFailure() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let storage = try SQLiteStorage(path: scratch.path("flow.db"), commits: .batched(maxOperations: 100, maxDelay: .milliseconds(100)))
        let failures = Mutex<[String]>([])
        async let first: Void = storage.invocations.insert(CommitBatchingTests.invocation("s1"))
        storage.batcher.submit(failed: { error in failures.withLock { $0.append("\(error)") } }) { db in
            try db.execute(sql: "INSERT INTO no_such_table VALUES (1)")
        }
        try await first
        try await storage.invocations.insert(CommitBatchingTests.invocation("s2"))
        #expect(failures.withLock { $0 }.count == 1)
        #expect(failures.withLock { $0 }.first?.contains("no such table: no_such_table") == true)
        #expect(try storage.invocations.pending(function: "f").map(\.requestId) == ["s1", "s2"])
    }

    @Test("a start note in a batch that rolls back is written when its writes are retried alone")
    func noteInFailedBatch() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let storage = try SQLiteStorage(path: scratch.path("flow.db"), commits: .batched(maxOperations: 100, maxDelay: .milliseconds(100)))
        try await storage.invocations.insert(CommitBatchingTests.invocation("r1"))
        let failures = Mutex<[String]>([])
        // One batch: the note, a write that fails (rolling the batch back), an awaited insert.
        storage.invocations.noteStarted(requestId: "r1", attempt: 1) { error in failures.withLock { $0.append("note: \(error)") } }
        storage.batcher.submit(failed: { error in failures.withLock { $0.append("\(error)") } }) { db in
            try db.execute(sql: "INSERT INTO no_such_table VALUES (1)")
        }
        try await storage.invocations.insert(CommitBatchingTests.invocation("r2"))
        #expect(failures.withLock { $0 }.count == 1)
        #expect(failures.withLock { $0 }.first?.hasPrefix("note:") == false)
        #expect(try storage.invocations.pending(function: "f").map(\.startedAttempts) == [1, 0])
    }
}
