import Synchronization

/// A queue's listener (an event source mapping's poll) and whether it has been told of an
/// arrival it has not yet been called for, so that a burst of sends becomes one call rather
/// than one call each (every one after the first finding the messages already taken).
final class SendListener: Sendable {
    private let call: @Sendable () async -> Void
    private let told = Atomic<Bool>(false)

    init(_ call: @escaping @Sendable () async -> Void) { self.call = call }

    /// Has the runtime call the listener soon, unless a call is already waiting to start.
    func notify(_ runtime: EventFlowRuntime) {
        guard !told.exchange(true, ordering: .acquiringAndReleasing) else { return }
        runtime.performSoon { [self] in
            told.store(false, ordering: .releasing)
            await call()
        }
    }
}
