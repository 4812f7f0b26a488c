import EventFlow
import EventFlowSQLite
import EventFlowTesting
import Foundation
import MetricsTestKit
import Testing

/// The stores the parameterised suites (asynchronous invocations, destinations, dead-letter
/// queues, mappings) run against: both must behave the same.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case sqlite

    var testDescription: String { rawValue }
}

/// A folder for one test's database file, removed when the last holder lets go of it.
final class ScratchFolder: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("eventflow-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A test runtime (`EventFlowRuntime.testing()`: virtual clock, sequential ids, serial actions).
struct Harness {
    let runtime: EventFlowRuntime
    private let scratch: ScratchFolder?

    init(runtime: EventFlowRuntime = .testing()) { self.init(runtime: runtime, scratch: nil) }

    private init(runtime: EventFlowRuntime, scratch: ScratchFolder?) {
        self.runtime = runtime
        self.scratch = scratch
    }

    /// A test runtime on `store`: memory, or a fresh SQLite file (batched commits, the default).
    init(store: StoreKind, metrics: TestMetrics? = nil) throws {
        switch store {
        case .memory:
            self.init(runtime: .testing(metrics: metrics))
        case .sqlite:
            let folder = try ScratchFolder()
            let storage = try SQLiteStorage(path: folder.url.appendingPathComponent("flow.db").path)
            self.init(runtime: .testing(metrics: metrics, storage: storage), scratch: folder)
        }
    }

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
