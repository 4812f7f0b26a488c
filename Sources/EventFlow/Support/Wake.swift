import Synchronization

/// A one-shot signal: `wait()` returns once `fire` has been called, whichever comes first.
final class Wake: Sendable {
    private struct State {
        var fired = false
        var cancelled = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    func fire(cancelled: Bool) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard !s.fired else { return nil }
            s.fired = true
            s.cancelled = cancelled
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    var wasCancelled: Bool { state.withLock { $0.cancelled } }

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { s -> Bool in
                if s.fired { return true }
                s.waiter = c
                return false
            }
            if resumeNow { c.resume() }
        }
    }
}
