#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a pthread mutex, with `Mutex`'s `withLock` shape.
///
/// Used instead of the standard library's `Mutex` because on Linux `Mutex` locks with raw
/// futex calls that ThreadSanitizer cannot see, so every access inside `withLock` is reported
/// as a race; pthread mutexes are intercepted, which keeps TSan runs of the matcher meaningful.
/// Uncontended, both cost one atomic operation per lock and unlock.
final class Lock<Value>: @unchecked Sendable {
    // The mutex lives at a fixed address of its own: pthread mutexes must not move.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    // Only touched with `mutex` held, which is what makes the unchecked Sendable sound.
    private var value: Value

    init(_ value: Value) {
        self.value = value
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    func withLock<Result, E: Error>(_ body: (inout Value) throws(E) -> Result) throws(E) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
