import Clocks
import EventFlow
import Foundation
import Logging
import Metrics

extension EventFlowRuntime {
    /// The start of every test runtime unless given: 2025-11-24T10:00:00Z.
    public static let testingStart = Date(timeIntervalSince1970: 1_763_978_400)

    /// A runtime for tests: a virtual clock that only `settle()` and `advance(by:)` move, ids
    /// "00000000-0000-4000-8000-000000000001", "...0002", ... and actions run one at a time in
    /// the order they became ready, so a run with the same inputs repeats exactly.
    ///
    /// ```swift
    /// let runtime = EventFlowRuntime.testing()
    /// _ = try await fn.invoke(.event, order)
    /// await runtime.advance(by: .seconds(300))   // every retry, at its own instant
    /// ```
    public static func testing(
        start: Date = testingStart, account: String = "123456789012", region: String = "us-east-1",
        logger: Logger = Logger(label: "eventflow"), metrics: (any MetricsFactory)? = nil, limits: RuntimeLimits = RuntimeLimits(),
        storage: any RuntimeStorage = InMemoryStorage()
    ) -> EventFlowRuntime {
        let clock = TestClock<Duration>()
        return EventFlowRuntime(
            account: account, region: region,
            clock: RuntimeClock(clock, startDate: start, advance: { await clock.advance(to: $0) }), ids: .sequential(),
            logger: logger, metrics: metrics, limits: limits, storage: storage)
    }
}

extension ActivityLog {
    /// The steps about one id as text lines (`Activity.description`), for exact comparisons.
    public func trail(for id: String) -> [String] { entries(for: id).map(\.description) }
}
