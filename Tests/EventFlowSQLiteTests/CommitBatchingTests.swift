import EventFlow
import EventFlowSQLite
import EventFlowTesting
import Foundation
import Testing

/// Group commit: writes of many invocations share transactions; each caller returns once its
/// own transaction committed, and learns its own error when its write is refused.
@Suite("SQLite storage: batched commits")
struct CommitBatchingTests {
    static func invocation(_ id: String, payload: String = "1") -> StoredInvocation {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        return StoredInvocation(requestId: id, function: "f", qualifier: "$LATEST", payload: payload, enqueuedAt: now, dueAt: now)
    }

    /// Inserts `ids` concurrently; each id with its error, nil when stored.
    static func insertAll(_ storage: SQLiteStorage, _ ids: [String], payload: String = "1") async -> [String: String?] {
        await withTaskGroup(of: (String, String?).self) { group in
            for id in ids {
                group.addTask {
                    do {
                        try await storage.invocations.insert(invocation(id, payload: payload))
                        return (id, nil)
                    } catch {
                        return (id, String(describing: error))
                    }
                }
            }
            var out: [String: String?] = [:]
            for await (id, error) in group { out[id] = error }
            return out
        }
    }

    @Test("a full batch commits at once, without waiting for the delay; every write is stored")
    func fullBatch() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let storage = try SQLiteStorage(path: scratch.path("flow.db"), commits: .batched(maxOperations: 8, maxDelay: .seconds(600)))
        let ids = (0..<8).map { "r\($0)" }
        let results = await Self.insertAll(storage, ids)
        #expect(results.values.allSatisfy { $0 == nil })
        #expect(storage.committedBatches.transactions == 1)
        #expect(storage.committedBatches.writes == 8)
        #expect(try Set(storage.invocations.pending(function: "f").map(\.requestId)) == Set(ids))
    }

    @Test("a batch that does not fill commits once its delay has passed, all its writes in one transaction")
    func delay() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let storage = try SQLiteStorage(path: scratch.path("flow.db"), commits: .batched(maxOperations: 1000, maxDelay: .seconds(1)))
        let started = ContinuousClock.now
        let results = await Self.insertAll(storage, (0..<5).map { "d\($0)" })
        #expect(ContinuousClock.now - started >= .milliseconds(900))
        #expect(results.values.allSatisfy { $0 == nil })
        #expect(storage.committedBatches.transactions == 1)
        #expect(storage.committedBatches.writes == 5)
    }

    @Test("queue sends are batched too: concurrent sends share a transaction, every one stored")
    func sends() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let storage = try SQLiteStorage(path: scratch.path("flow.db"), commits: .batched(maxOperations: 10, maxDelay: .seconds(600)))
        let runtime = EventFlowRuntime.testing(storage: storage)
        let q = try Queue(name: "jobs", runtime: runtime)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<10 { group.addTask { _ = try await q.send("m-\(i)") } }
            try await group.waitForAll()
        }
        #expect(storage.committedBatches.transactions == 1)
        #expect(storage.committedBatches.writes == 10)
        #expect(Set(await q.messages.map(\.body)) == Set((0..<10).map { "m-\($0)" }))
    }

    @Test("concurrent writes share transactions; one at a time, each has its own")
    func sharing() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let batched = try SQLiteStorage(path: scratch.path("batched.db"), commits: .batched(maxOperations: 50, maxDelay: .milliseconds(200)))
        _ = await Self.insertAll(batched, (0..<200).map { "b\($0)" })
        #expect(batched.committedBatches.writes == 200)
        #expect(batched.committedBatches.transactions <= 8)
        #expect(try batched.invocations.pendingCount(function: "f") == 200)

        let single = try SQLiteStorage(path: scratch.path("single.db"), commits: .perOperation)
        _ = await Self.insertAll(single, (0..<20).map { "s\($0)" })
        #expect(single.committedBatches.transactions == 20)
        #expect(single.committedBatches.writes == 20)
        #expect(try single.invocations.pendingCount(function: "f") == 20)
    }

    @Test("a write refused inside a batch fails alone, with its own error; the rest of the batch is stored")
    func refusedWrite() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let storage = try SQLiteStorage(path: scratch.path("flow.db"), commits: .batched(maxOperations: 6, maxDelay: .seconds(600)))
        // Alone in its batch only after the first: maxOperations 1 would be the other policy.
        _ = await Self.insertAll(storage, (0..<6).map { "a\($0)" })
        #expect(storage.committedBatches.transactions == 1)
        // "a3" again: its unique request id refuses it; the five others must still be stored.
        let results = await Self.insertAll(storage, ["b0", "b1", "a3", "b2", "b3", "b4"])
        #expect(results.filter { $0.value == nil }.keys.sorted() == ["b0", "b1", "b2", "b3", "b4"])
        let error = try #require(results["a3"] ?? nil)
        #expect(error.contains("UNIQUE constraint failed: async_invocation.request_id"))
        // The batch rolled back whole, then each write alone: five more transactions.
        #expect(storage.committedBatches.transactions == 6)
        #expect(try storage.invocations.pendingCount(function: "f") == 11)
    }

    @Test("a commit policy out of range is refused at open with a clear error")
    func invalidPolicy() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        #expect(throws: SQLiteStorageError.invalidOption("commits: maxOperations must be at least 1, got 0")) {
            _ = try SQLiteStorage(path: scratch.path("flow.db"), commits: .batched(maxOperations: 0))
        }
        #expect(throws: SQLiteStorageError.invalidOption("commits: maxDelay must not be negative, got -1.0 seconds")) {
            _ = try SQLiteStorage(path: scratch.path("flow.db"), commits: .batched(maxDelay: .seconds(-1)))
        }
        #expect(
            SQLiteStorageError.invalidOption("commits: maxOperations must be at least 1, got 0").description
                == "invalid SQLite storage option: commits: maxOperations must be at least 1, got 0")
        #expect(SQLiteStorage.CommitPolicy.batched() == .batched(maxOperations: 1000, maxDelay: .zero))
    }

    @Test("a full disk under batched accepts: every caller that returned has its invocation stored, every other a clear error", .enabled(if: getuid() == 0))
    func diskFullBatched() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let mountPoint = try SQLiteStorageTests.mountSmallFileSystem(scratch, size: "1m")
        defer { _ = try? run("/bin/umount", [mountPoint]) }
        let storage = try SQLiteStorage(path: mountPoint + "/flow.db")
        let payload = "\"" + String(repeating: "x", count: 2_000) + "\""
        var stored: Set<String> = []
        var failures: [String] = []
        var round = 0
        while failures.isEmpty && round < 100 {
            let results = await Self.insertAll(storage, (0..<50).map { "r\(round)-\($0)" }, payload: payload)
            stored.formUnion(results.filter { $0.value == nil }.keys)
            failures += results.compactMap { $0.value }
            round += 1
        }
        #expect(!failures.isEmpty, "the disk never filled")
        #expect(failures.allSatisfy { $0.contains("full") }, "\(failures.first ?? "")")
        #expect(stored.count > 50)
        #expect(try Set(storage.invocations.pending(function: "f").map(\.requestId)) == stored)
    }
}
