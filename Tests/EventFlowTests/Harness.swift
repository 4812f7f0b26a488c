import EventFlow
import EventFlowTesting
import Foundation

/// A test runtime (`EventFlowRuntime.testing()`: virtual clock, sequential ids, serial actions).
struct Harness {
    let runtime: EventFlowRuntime

    init(runtime: EventFlowRuntime = .testing()) { self.runtime = runtime }

    static let start = EventFlowRuntime.testingStart

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
