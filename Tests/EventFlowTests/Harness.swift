import Clocks
import EventFlow
import Foundation

/// A runtime on a test clock, with sequential ids and a fixed start (2025-11-24T10:00:00Z).
struct Harness {
    let clock = TestClock<Duration>()
    let runtime: EventFlowRuntime

    static let start = Date(timeIntervalSince1970: 1_763_978_400)

    init() {
        let clock = clock
        runtime = EventFlowRuntime(
            clock: RuntimeClock(clock, startDate: Harness.start, advance: { await clock.advance(to: $0) }), ids: .sequential())
    }

    /// Lets everything due now run.
    func settle() async { await runtime.settle() }

    /// Advances virtual time, letting each due action run at its own instant.
    func advance(by d: Duration) async { await runtime.advance(by: d) }
}

struct Order: Codable, Sendable, Equatable {
    var orderId: String
    var amount: Int
}

struct Approval: Codable, Sendable, Equatable {
    var approved: Bool
}

struct Declined: Error, CustomStringConvertible {
    var description: String { "card declined" }
}
