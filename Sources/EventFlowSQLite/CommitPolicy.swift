extension SQLiteStorage {
    /// How writes of asynchronous invocations are committed.
    ///
    /// `.batched(maxOperations: 1000, maxDelay: .zero)` (the default) is group commit: writes
    /// that arrive while a transaction commits wait for the next one, which takes up to
    /// `maxOperations` of them; each caller returns once its own transaction committed, so
    /// nothing a call returned for is lost to a crash. A lone caller waits for its own commit
    /// only; many concurrent callers share transactions (one WAL append and, at `.full`, one
    /// sync per batch). A `maxDelay` above zero holds a batch open up to that long to gather
    /// more writes: fewer, larger transactions on a lightly loaded system (worth it at `.full`,
    /// where each commit syncs the disk), at the cost of that much latency per call.
    /// `.perOperation` is one transaction per write.
    public struct CommitPolicy: Sendable, Equatable {
        public var maxOperations: Int
        public var maxDelay: Duration

        /// Up to `maxOperations` writes per transaction (1 or more), committed at the latest
        /// `maxDelay` after the first of them arrived (zero or more).
        public static func batched(maxOperations: Int = 1000, maxDelay: Duration = .zero) -> CommitPolicy {
            CommitPolicy(maxOperations: maxOperations, maxDelay: maxDelay)
        }

        /// One transaction per write.
        public static let perOperation = CommitPolicy(maxOperations: 1, maxDelay: .zero)

        init(maxOperations: Int, maxDelay: Duration) {
            self.maxOperations = maxOperations
            self.maxDelay = maxDelay
        }

        /// Why this policy cannot be used (checked when the storage opens), or nil.
        var problem: String? {
            if maxOperations < 1 { return "commits: maxOperations must be at least 1, got \(maxOperations)" }
            if maxDelay < .zero { return "commits: maxDelay must not be negative, got \(maxDelay)" }
            return nil
        }
    }
}
