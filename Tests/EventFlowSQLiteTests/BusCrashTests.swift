import Foundation
import Testing

/// A bus on a SQLite file under SIGKILL: the worker puts events on a bus whose rule sends each
/// to a durable queue and invokes a function asynchronously, and is killed at random moments.
/// PutEvents answers "accepted" only once an event is stored, so every accepted EventId reaches
/// both targets at least once after the restarts; repeats (routed again after a kill between a
/// delivery and the event's removal) are reported.
@Suite("Crash: events a bus accepted reach their targets after SIGKILL")
struct BusCrashTests {
    @Test("put events through a bus to a queue and an async function under SIGKILL: every accepted event reaches both")
    func killAndRestart() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")
        var rng = CrashTests.Rng(state: 512)
        let total = 300
        var accepted: [String: Int] = [:]
        var next = 0
        let (idle, runs, kills) = try await CrashTests.runUntilIdle(
            killAfter: { $0 <= 8 ? rng.next(40...250) : nil },
            arguments: { _ in [path, "bus", String(next), String(total)] },
            take: { line in
                let parts = line.split(separator: " ")
                guard parts.first == "accepted", parts.count == 3, let n = Int(parts[2]) else { return }
                accepted[String(parts[1])] = n
                next = max(next, n + 1)
            })
        #expect(idle, "the worker never worked off its bus events and invocations")
        #expect(next == total)
        #expect(Set(accepted.values) == Set(0..<total))
        #expect(kills >= 3, "the test should have killed the worker several times (killed \(kills))")
        let report = try await CrashTests.runWorker([path, "bus-report"], killAfter: nil).lines
        let queued = report.compactMap { $0.hasPrefix("queue ") ? String($0.dropFirst(6)) : nil }
        let invoked = report.compactMap { $0.hasPrefix("function ") ? String($0.dropFirst(9)) : nil }
        let ids = Set(accepted.keys)
        let lostQueue = ids.subtracting(queued), lostFunction = ids.subtracting(invoked)
        #expect(lostQueue.count == 0, "accepted but never in the queue: \(lostQueue.sorted().prefix(5))")
        #expect(lostFunction.count == 0, "accepted but never invoked: \(lostFunction.sorted().prefix(5))")
        print(
            "bus crash test: \(ids.count) accepted events, \(queued.count - Set(queued).count) repeated in the queue, \(invoked.count - Set(invoked).count) repeated invocations, \(runs) runs, \(kills) kills")
    }
}
