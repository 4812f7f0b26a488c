import GRDB
import GRDBSQLite
import Synchronization

/// Binds values straight into a prepared statement, for the writes every invocation and message
/// makes. GRDB's `execute(arguments:)` builds two arrays of `DatabaseValue` per call (a sixth
/// of the allocations of a durable invocation); here integers and nulls are bound at once and
/// text is copied into one buffer reused by every statement, whose bytes SQLite reads in place
/// while the statement runs (binding the strings for SQLite to copy cost more allocations).
struct StatementBinder {
    fileprivate let statement: SQLiteStatement
    fileprivate let scratch: TextScratch

    func text(_ index: Int32, _ value: String) {
        var value = value
        value.withUTF8 { scratch.add(index, $0) }
    }

    func text(_ index: Int32, _ value: String?) {
        if let value { text(index, value) } else { null(index) }
    }

    func int(_ index: Int32, _ value: Int64) { _ = sqlite3_bind_int64(statement, index, value) }
    func int(_ index: Int32, _ value: Int) { int(index, Int64(value)) }

    func int(_ index: Int32, _ value: Int64?) {
        if let value { int(index, value) } else { null(index) }
    }

    func null(_ index: Int32) { _ = sqlite3_bind_null(statement, index) }
}

/// The texts of the statement being run, end to end, and where each is bound.
private final class TextScratch {
    var bytes: [UInt8] = []
    var texts: [(index: Int32, start: Int, count: Int)] = []

    func add(_ index: Int32, _ text: UnsafeBufferPointer<UInt8>) {
        texts.append((index, bytes.count, text.count))
        bytes.append(contentsOf: text)
    }

    func clear() {
        bytes.removeAll(keepingCapacity: true)
        texts.removeAll(keepingCapacity: true)
    }
}

/// One scratch for every connection: statements run one at a time under its lock (writes are
/// serial anyway, on the storage's one writer connection).
nonisolated(unsafe) private let sharedScratch = TextScratch()
private let scratchLock = Mutex(())

extension Database {
    /// Runs the cached statement for `sql` with the values `bind` sets (every parameter), to
    /// its end; throws GRDB's `DatabaseError` for SQLite's error, as `execute` does.
    func run(_ sql: String, _ bind: (StatementBinder) -> Void) throws {
        let statement = try cachedStatement(sql: sql)
        let handle = statement.sqliteStatement
        let connection = sqliteConnection
        try scratchLock.withLock { _ in
            let scratch = sharedScratch
            scratch.clear()
            sqlite3_reset(handle)
            bind(StatementBinder(statement: handle, scratch: scratch))
            defer {
                // Reset at once (a statement left stepped keeps its read open) and unbound
                // (the scratch's bytes change with the next statement).
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
            }
            try scratch.bytes.withUnsafeBufferPointer { all in
                for t in scratch.texts {
                    // An empty text still needs an address (a null pointer binds NULL).
                    let start = t.count == 0 ? UnsafeRawPointer(("" as StaticString).utf8Start) : UnsafeRawPointer(all.baseAddress! + t.start)
                    sqlite3_bind_text(handle, t.index, start.assumingMemoryBound(to: CChar.self), Int32(t.count), nil)
                }
                while true {
                    let code = sqlite3_step(handle)
                    if code == SQLITE_DONE { return }
                    if code == SQLITE_ROW { continue }
                    let message = String(cString: sqlite3_errmsg(connection))
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
                }
            }
        }
    }
}
