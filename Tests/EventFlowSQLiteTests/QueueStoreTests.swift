import EventFlow
import EventFlowSQLite
import EventFlowTesting
import Foundation
import Testing

@Suite("Queues behave the same on every store")
struct QueueStoreTests {
    @Test("send, receive with visibility, receive counts, change visibility, delete", arguments: StoreKind.allCases)
    func lifecycle(kind: StoreKind) async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let runtime = EventFlowRuntime.testing(storage: try kind.storage(scratch))
        let q = try Queue(name: "q", runtime: runtime, visibilityTimeout: .seconds(30))
        try await q.send("a", attributes: ["kind": .string("x"), "n": .number("1")])
        try await q.send("b")
        let first = await q.receive(max: 1)
        #expect(first.map(\.body) == ["a"])
        #expect(first.first?.attributes == ["kind": .string("x"), "n": .number("1")])
        #expect(first.first?.receiveCount == 1)
        #expect(first.first?.firstReceivedAt == .zero)
        #expect(await q.receive(max: 10).map(\.body) == ["b"])
        #expect(await q.receive(max: 10).isEmpty)
        await runtime.advance(by: .seconds(30))
        let again = await q.receive(max: 10)
        #expect(again.map(\.body) == ["a", "b"])
        #expect(again.map(\.receiveCount) == [2, 2])
        #expect(await q.delete(receiptHandle: first[0].receiptHandle) == false)
        #expect(await q.delete(receiptHandle: again[0].receiptHandle))
        #expect(await q.changeVisibility(receiptHandle: again[1].receiptHandle, timeout: .seconds(5)))
        #expect(await q.nextVisibleAt == .seconds(35))
        await runtime.advance(by: .seconds(5))
        #expect(await q.receive(max: 10).map(\.body) == ["b"])
        #expect(await q.messages.map(\.messageId) == [again[1].messageId])
        #expect(await q.messages.first?.sentAt == .zero)
        #expect(await q.drain().map(\.body) == ["b"])
        #expect(await q.approximateNumberOfMessages == 0)
    }

    @Test("redrive moves a message received maxReceiveCount times to the dead-letter queue; retention expires old ones", arguments: StoreKind.allCases)
    func redriveAndRetention(kind: StoreKind) async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let runtime = EventFlowRuntime.testing(storage: try kind.storage(scratch))
        let dlq = try Queue(name: "dlq", runtime: runtime)
        let q = try Queue(
            name: "q", runtime: runtime, visibilityTimeout: .seconds(10), messageRetentionPeriod: .seconds(100),
            redrivePolicy: .init(deadLetterQueue: dlq, maxReceiveCount: 2))
        try await q.send("poison")
        for _ in 0..<2 {
            #expect(await q.receive().map(\.body) == ["poison"])
            await runtime.advance(by: .seconds(10))
        }
        #expect(await q.receive().isEmpty)
        #expect(await dlq.messages.map(\.body) == ["poison"])
        #expect(await dlq.messages.first?.receiveCount == 0)
        try await q.send("old")
        await runtime.advance(by: .seconds(100))
        #expect(await q.receive().isEmpty)
        #expect(await q.expiredMessages.map(\.body) == ["old"])
    }
}

@Suite("SQLite storage: schema, locking, faults")
struct SQLiteStorageTests {
    @Test("the schema is versioned by GRDB's migrator")
    func migrations() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let storage = try SQLiteStorage(path: scratch.path("flow.db"))
        #expect(try storage.appliedMigrations() == ["v1: queue messages", "v2: async invocations", "v3: stream records and mapping checkpoints", "v4: resource definitions", "v5: bus events accepted and not routed yet", "v6: rule target deliveries not ended yet", "v7: stream prune horizons", "v8: bus accepted history"])
        #expect(storage.synchronous == .normal)
    }

    @Test("a database another process holds gives a clear error, in this process and in another")
    func inUse() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")
        let storage = try SQLiteStorage(path: path)
        #expect(throws: SQLiteStorageError.inUse(path: path)) { _ = try SQLiteStorage(path: path) }
        #expect(
            SQLiteStorageError.inUse(path: path).description
                == "the database \(path) is in use by another process (it holds \(path).lock); one process at a time may open it")
        let other = try run(Paths.worker, [path, "count"])
        #expect(other.status == 3)
        #expect(other.output == "error: the database \(path) is in use by another process (it holds \(path).lock); one process at a time may open it\n")
        _ = storage
    }

    /// A tmpfs of `size` mounted on a fresh folder (root only, as CI runs).
    static func mountSmallFileSystem(_ scratch: Scratch, size: String) throws -> String {
        let mountPoint = scratch.path("fs")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mounted = try run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", mountPoint])
        guard mounted.status == 0 else { throw FileSystemUnavailable(reason: mounted.output) }
        return mountPoint
    }

    struct FileSystemUnavailable: Error { var reason: String }

    /// Runs `body` on a SQLite file in a fresh 1 MB file system (closed and unmounted afterwards).
    static func onSmallDisk(_ body: (SQLiteStorage) async throws -> Void) async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let mountPoint = try mountSmallFileSystem(scratch, size: "1m")
        defer { _ = try? run("/bin/umount", [mountPoint]) }
        let storage = try SQLiteStorage(path: mountPoint + "/flow.db")
        defer { try? storage.close() }
        try await body(storage)
    }

    /// Calls `write(0)`, `write(1)`, … until one throws (10,000 calls at most): how many
    /// returned, and the error of the one that threw.
    static func writeUntilFailure(_ write: (Int) async throws(AWSError) -> Void) async -> (written: Int, failure: AWSError?) {
        var written = 0
        while written < 10_000 {
            do { try await write(written) } catch { return (written, error) }
            written += 1
        }
        return (written, nil)
    }

    @Test("a full disk fails the send that could not be stored, with a clear error; what was stored stays", .enabled(if: getuid() == 0))
    func diskFull() async throws {
        try await Self.onSmallDisk { storage in
            let q = try Queue(name: "jobs", runtime: EventFlowRuntime.testing(storage: storage))
            let (sent, failure) = await Self.writeUntilFailure { n throws(AWSError) in
                try await q.send(String(repeating: "x", count: 1_000) + String(n))
            }
            let error = try #require(failure)
            #expect(error.code == .internalFailure)
            #expect(error.httpStatus == 500)
            #expect(error.message.hasPrefix("could not send a message to queue jobs: "))
            #expect(error.message.contains("full"))
            #expect(sent > 10)
            #expect(await q.approximateNumberOfMessages == sent)
            #expect(await q.messages.first?.body == String(repeating: "x", count: 1_000) + "0")
        }
    }

    @Test("a database on a read-only file system is refused at open with a clear error; nothing stored is lost", .enabled(if: getuid() == 0))
    func readOnly() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let mountPoint = try Self.mountSmallFileSystem(scratch, size: "4m")
        defer { _ = try? run("/bin/umount", [mountPoint]) }
        let path = mountPoint + "/flow.db"
        #expect(try run(Paths.worker, [path, "produce", "0", "3"]).output == "sent m-0\nsent m-1\nsent m-2\n")
        #expect(try run("/bin/mount", ["-o", "remount,ro", mountPoint]).status == 0)
        #expect(throws: SQLiteStorageError.cannotOpen(path: path, reason: "cannot open \(path).lock: Read-only file system")) {
            _ = try SQLiteStorage(path: path)
        }
        #expect(try run("/bin/mount", ["-o", "remount,rw", mountPoint]).status == 0)
        #expect(try run(Paths.worker, [path, "count"]).output == "jobs 3\njobs-dlq 0\n")
    }
}
