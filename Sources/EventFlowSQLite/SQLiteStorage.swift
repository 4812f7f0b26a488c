import EventFlow
import Foundation
import GRDB

/// A runtime's storage in one SQLite file (through GRDB), in WAL mode:
/// `EventFlowRuntime(storage: try .sqlite(path: "flow.db"))`.
///
/// Durability: at the default synchronous level, `.normal`, a process crash (even `kill -9`)
/// loses nothing that was committed — every call that returned has its change in the WAL file —
/// while a power loss or an operating-system crash may lose the last transactions before the
/// WAL was synced to disk. `.full` syncs on every commit and survives power loss too, at a
/// cost per write. One process at a time may open a file: another gets `SQLiteStorageError.inUse`.
///
/// Commits: the writes of asynchronous invocations (accept, attempt started, retry saved, end
/// with its records) are batched by default — many invocations' writes share one transaction,
/// and each caller returns only once its transaction committed (`CommitPolicy`).
public final class SQLiteStorage: RuntimeStorage {
    /// SQLite's `synchronous` levels.
    public enum Synchronous: String, Sendable {
        case off = "OFF"
        case normal = "NORMAL"
        case full = "FULL"
        case extra = "EXTRA"
    }

    public let path: String
    public let synchronous: Synchronous
    public let commits: CommitPolicy
    public let queues: any QueueStore
    public let invocations: any AsyncInvocationStore
    public let streams: any StreamStore
    public let checkpoints: any CheckpointStore
    public let definitions: any DefinitionStore
    public let busEvents: any BusEventStore
    let database: DatabasePool
    let batcher: SQLiteCommitBatcher
    private let lock: ProcessLock

    public init(path: String, synchronous: Synchronous = .normal, commits: CommitPolicy = .batched()) throws(SQLiteStorageError) {
        self.path = path
        self.synchronous = synchronous
        self.commits = commits
        if let problem = commits.problem { throw .invalidOption(problem) }
        lock = try ProcessLock(databasePath: path)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
        }
        // Wait for a moment when a checkpoint holds the file, rather than failing at once.
        configuration.busyMode = .timeout(5)
        do {
            database = try DatabasePool(path: path, configuration: configuration)
            try SQLiteSchema.migrator.migrate(database)
        } catch {
            throw .cannotOpen(path: path, reason: String(describing: error))
        }
        batcher = SQLiteCommitBatcher(database: database, maxOperations: commits.maxOperations, maxDelay: commits.maxDelay)
        // Each store is a struct of the pool and the batcher they share (memberwise inits).
        queues = SQLiteQueueStore(database: database, batcher: batcher)
        invocations = SQLiteAsyncInvocationStore(database: database, batcher: batcher)
        streams = SQLiteStreamStore(database: database, batcher: batcher)
        checkpoints = SQLiteCheckpointStore(database: database, batcher: batcher)
        definitions = SQLiteDefinitionStore(database: database)
        busEvents = SQLiteBusEventStore(database: database, batcher: batcher)
    }

    /// Batched transactions committed so far and the writes they held (a write per transaction
    /// with `.perOperation`).
    public var committedBatches: (transactions: Int, writes: Int) { batcher.committed }

    /// Closes the file and releases its lock, so that another `SQLiteStorage` (in this process
    /// or another) may open it: a runtime's stop, as far as the file is concerned. Call it once
    /// nothing writes any more (after `settle()` or `stop(waitingUpTo:)`); any later call of its
    /// stores throws GRDB's error for a closed database.
    public func close() throws {
        try database.close()
        lock.release()
    }

    /// The schema versions applied to the file, oldest first.
    public func appliedMigrations() throws -> [String] {
        try database.read { db in try SQLiteSchema.migrator.appliedMigrations(db) }
    }
}

extension RuntimeStorage where Self == SQLiteStorage {
    /// A SQLite file; created with the current schema when missing, migrated when older.
    public static func sqlite(
        path: String, synchronous: SQLiteStorage.Synchronous = .normal, commits: SQLiteStorage.CommitPolicy = .batched()
    ) throws(SQLiteStorageError) -> SQLiteStorage {
        try SQLiteStorage(path: path, synchronous: synchronous, commits: commits)
    }
}

/// Why a SQLite file could not be used.
public enum SQLiteStorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another process has the file open.
    case inUse(path: String)
    case cannotOpen(path: String, reason: String)
    /// An option of `SQLiteStorage` out of range.
    case invalidOption(String)
    /// SQLite rolled a transaction back by itself (after a full disk or an I/O error).
    case rolledBack

    public var description: String {
        switch self {
        case .inUse(let path):
            return "the database \(path) is in use by another process (it holds \(path).lock); one process at a time may open it"
        case .cannotOpen(let path, let reason):
            return "cannot open the database \(path): \(reason)"
        case .invalidOption(let reason):
            return "invalid SQLite storage option: \(reason)"
        case .rolledBack:
            return "SQLite rolled the transaction back (a full disk or an I/O error); nothing of it was stored"
        }
    }
}
