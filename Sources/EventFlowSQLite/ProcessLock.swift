import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock on `<database>.lock`, held while the storage is open, so that a
/// second process opening the same database gets a clear error instead of sharing it. The
/// operating system releases it when the process ends, however it ends.
final class ProcessLock: Sendable {
    /// The lock file's descriptor; -1 once released.
    private let descriptor: Mutex<Int32>

    init(databasePath: String) throws(SQLiteStorageError) {
        let lockPath = databasePath + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .cannotOpen(path: databasePath, reason: "cannot open \(lockPath): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(fd)
            if busy { throw .inUse(path: databasePath) }
            throw .cannotOpen(path: databasePath, reason: "cannot lock \(lockPath): \(reason)")
        }
        descriptor = Mutex(fd)
    }

    /// Lets go of the lock (at most once; the deinit does it otherwise).
    func release() {
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}
