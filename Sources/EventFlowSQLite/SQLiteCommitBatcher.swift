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
        /// Who learns the outcome: a caller waiting for the commit, or (for writes nobody waits
        /// for, `submit`) a closure told only of a failure.
        enum Completion {
            case resume(UnsafeContinuation<Void, any Error>)
            case reportFailure(@Sendable (any Error) -> Void)
        }

        var write: Write
        var completion: Completion

        func succeeded() {
            if case .resume(let c) = completion { c.resume() }
        }

        func failed(_ error: any Error) {
            switch completion {
            case .resume(let c): c.resume(throwing: error)
            case .reportFailure(let report): report(error)
            }
        }
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
        // Unsafe (unchecked): a checked continuation is one more allocation per write, and each
        // pending write is resumed exactly once, by `commit`.
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            enqueue(Pending(write: write, completion: .resume(continuation)))
        }
    }

    /// Queues `write` for the next batch's transaction and returns at once; `failed` is called
    /// (on the commit queue) if it could not be stored. Writes commit in the order they were
    /// queued, so a write queued later (awaited or not) never commits before this one.
    func submit(failed: @escaping @Sendable (any Error) -> Void, _ write: @escaping Write) {
        enqueue(Pending(write: write, completion: .reportFailure(failed)))
    }

    private func enqueue(_ pending: Pending) {
        enum Kick { case none, now, later }
        let kick: Kick = state.withLock { s in
            s.pending.append(pending)
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

    /// Commits batches until nothing is pending.
    private func drain() {
        while true {
            let batch: [Pending] = state.withLock { s in
                if s.pending.isEmpty {
                    s.armed = false
                    return []
                }
                // Everything, when it fits: the array is handed over, not copied.
                if s.pending.count <= maxOperations {
                    let taken = s.pending
                    s.pending.removeAll(keepingCapacity: true)
                    return taken
                }
                let taken = Array(s.pending.prefix(maxOperations))
                s.pending.removeFirst(maxOperations)
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
            for p in batch { p.succeeded() }
        } catch {
            guard batch.count > 1 else {
                batch[0].failed(error)
                return
            }
            // Rolled back whole: each write alone, so each caller learns its own outcome.
            for p in batch {
                do {
                    try transaction(p.write)
                    counts.withLock { $0.transactions += 1; $0.writes += 1 }
                    p.succeeded()
                } catch {
                    p.failed(error)
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
