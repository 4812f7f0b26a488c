import Dispatch
import GRDB
import Synchronization

/// Group commit: writes from many callers gathered into one transaction. A caller's `perform`
/// returns only once the transaction holding its write has committed (so its write is as durable
/// as the storage's synchronous level makes any commit), or throws that write's own error.
///
/// A batch is committed when `maxOperations` writes are waiting or `maxDelay` has passed since
/// the first of them, whichever comes first; with `maxDelay` zero, as soon as the writer is free
/// (while one transaction commits, the writes that arrive meanwhile gather for the next, so a
/// lone caller waits for nothing but its own commit). When a batch fails as a whole (a full
/// disk, a constraint), nothing of it was stored: SQLite rolled the transaction back; each of its
/// writes is then tried again in a transaction of its own, so that every caller gets its own
/// outcome — its write stored, or the error that refused it.
final class SQLiteCommitBatcher: Sendable {
    typealias Write = @Sendable (Database) throws -> Void

    private struct Pending {
        var write: Write
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var pending: [Pending] = []
        /// A drain is queued or running: it takes everything pending before it stops.
        var armed = false
    }

    private let database: DatabasePool
    let maxOperations: Int
    let maxDelay: Duration
    private let state = Mutex(State())
    /// Where batches are committed, one at a time (off the cooperative thread pool: GRDB's
    /// writes block their thread).
    private let queue = DispatchQueue(label: "eventflow.sqlite.commits")
    /// Transactions committed, and writes they held (for benchmarks and tests).
    private let counts = Mutex((transactions: 0, writes: 0))

    init(database: DatabasePool, maxOperations: Int, maxDelay: Duration) {
        precondition(maxOperations >= 1, "a batch holds at least one write")
        self.database = database
        self.maxOperations = maxOperations
        self.maxDelay = maxDelay
    }

    /// Transactions committed so far and the writes they held.
    var committed: (transactions: Int, writes: Int) { counts.withLock { $0 } }

    /// Runs `write` in the next batch's transaction; returns once that transaction committed.
    nonisolated(nonsending) func perform(_ write: @escaping Write) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            enum Kick { case none, now, later }
            let kick: Kick = state.withLock { s in
                s.pending.append(Pending(write: write, continuation: continuation))
                if !s.armed {
                    s.armed = true
                    return maxDelay == .zero || s.pending.count >= maxOperations ? .now : .later
                }
                // A full batch does not wait for the delay (an extra drain finds less or nothing).
                return maxDelay != .zero && s.pending.count == maxOperations ? .now : .none
            }
            switch kick {
            case .none: break
            case .now: queue.async { self.drain() }
            case .later: queue.asyncAfter(deadline: .now() + .nanoseconds(Self.nanoseconds(maxDelay))) { self.drain() }
            }
        }
    }

    /// Commits batches until nothing is pending.
    private func drain() {
        while true {
            let batch: [Pending] = state.withLock { s in
                let n = min(s.pending.count, maxOperations)
                let taken = Array(s.pending.prefix(n))
                s.pending.removeFirst(n)
                if taken.isEmpty { s.armed = false }
                return taken
            }
            if batch.isEmpty { return }
            commit(batch)
        }
    }

    private func commit(_ batch: [Pending]) {
        do {
            try transaction { db in
                for p in batch { try p.write(db) }
            }
            counts.withLock { $0.transactions += 1; $0.writes += batch.count }
            for p in batch { p.continuation.resume() }
        } catch {
            guard batch.count > 1 else {
                batch[0].continuation.resume(throwing: error)
                return
            }
            // Rolled back whole: each write alone, so each caller learns its own outcome.
            for p in batch {
                do {
                    try transaction(p.write)
                    counts.withLock { $0.transactions += 1; $0.writes += 1 }
                    p.continuation.resume()
                } catch {
                    p.continuation.resume(throwing: error)
                }
            }
        }
    }

    /// One immediate transaction around `body`, rolled back if anything in it throws.
    private func transaction(_ body: (Database) throws -> Void) throws {
        try database.writeWithoutTransaction { db in
            do {
                try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
                try body(db)
                // SQLite may have rolled back the transaction itself (a full disk, an I/O
                // error) while a statement in it failed and was caught: then nothing is stored.
                guard db.isInsideTransaction else { throw SQLiteStorageError.rolledBack }
                try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
            } catch {
                if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK TRANSACTION") }
                throw error
            }
        }
    }

    private static func nanoseconds(_ d: Duration) -> Int {
        Int(d.components.seconds) * 1_000_000_000 + Int(d.components.attoseconds / 1_000_000_000)
    }
}
