import Foundation

/// The time source of a runtime: any `Clock` with `Duration`, seen as time elapsed since the
/// runtime started, plus the wall-clock date of that start (for record timestamps).
///
/// Tests pass a test clock (for example swift-clocks' `TestClock`) and a fixed start date, and
/// drive hours of retries in milliseconds.
public struct RuntimeClock: Sendable {
    let elapsed: @Sendable () -> Duration
    let sleepUntil: @Sendable (Duration) async throws -> Void
    /// For a clock that tests move by hand: moves it to an offset from the start.
    let moveTo: (@Sendable (Duration) async -> Void)?
    public let startDate: Date

    /// `advance`, for a clock that tests move by hand (swift-clocks' `TestClock`:
    /// `advance: { await clock.advance(to: $0) }`), lets `EventFlowRuntime.advance(by:)` stop
    /// at every instant something is due, so each action sees its own instant as now.
    public init<C: Clock>(
        _ clock: C, startDate: Date = Date(), advance: (@Sendable (C.Instant) async -> Void)? = nil
    ) where C.Duration == Duration {
        let start = clock.now
        self.elapsed = { start.duration(to: clock.now) }
        self.sleepUntil = { offset in
            // Some test clocks suspend even for a deadline that has already come.
            if start.duration(to: clock.now) >= offset { return }
            try await clock.sleep(until: start.advanced(by: offset), tolerance: nil)
        }
        if let advance {
            self.moveTo = { offset in await advance(start.advanced(by: offset)) }
        } else {
            self.moveTo = nil
        }
        self.startDate = startDate
    }

    /// Whether `EventFlowRuntime.advance(by:)` can move this clock.
    public var canAdvance: Bool { moveTo != nil }

    /// Real time.
    public static var continuous: RuntimeClock { RuntimeClock(ContinuousClock()) }

    public var now: Duration { elapsed() }

    /// The offset from the start of a wall-clock time (to the microsecond), for stored instants.
    public func offset(of date: Date) -> Duration {
        .microseconds(Int64((date.timeIntervalSince(startDate) * 1_000_000).rounded()))
    }

    /// The wall-clock time `offset` after the start.
    public func date(at offset: Duration) -> Date {
        let (s, atto) = offset.components
        return startDate.addingTimeInterval(Double(s) + Double(atto) / 1e18)
    }
}

extension Duration {
    /// Whole seconds, rounded up (AWS compares event ages in whole seconds).
    var ceilSeconds: Int64 {
        let (s, atto) = components
        return atto > 0 ? s + 1 : s
    }
}
