import Foundation
import Testing

/// A bus on a SQLite file under SIGKILL: the worker puts events on a bus whose rule sends each
/// to a durable queue, invokes a function asynchronously, hands it to a target that throttles
/// its first attempt (retried) and to a queue too small for it (dead-lettered), and is killed at
/// random moments. PutEvents answers "accepted" only once an event is stored and each target's
/// delivery is stored until it ends, so every accepted EventId reaches every target after the
/// restarts. The queue and the dead-letter queue get each event exactly once (the message is
/// written in the transaction that ends the delivery); the function and the retried target
/// at least once (repeats are reported).
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
        func lines(_ prefix: String) -> [String] { report.compactMap { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : nil } }
        let queued = lines("queue "), invoked = lines("function "), retried = lines("retried "), dead = lines("dead ")
        let ids = Set(accepted.keys)
        let lostQueue = ids.subtracting(queued), lostFunction = ids.subtracting(invoked)
        let lostRetried = ids.subtracting(retried), lostDead = ids.subtracting(dead)
        #expect(lostQueue.count == 0, "accepted but never in the queue: \(lostQueue.sorted().prefix(5))")
        #expect(lostFunction.count == 0, "accepted but never invoked: \(lostFunction.sorted().prefix(5))")
        #expect(lostRetried.count == 0, "accepted but never retried to the end: \(lostRetried.sorted().prefix(5))")
        #expect(lostDead.count == 0, "accepted but never dead-lettered: \(lostDead.sorted().prefix(5))")
        #expect(queued.count == Set(queued).count, "a queue target's message is written with the end of its delivery: never twice")
        #expect(dead.count == Set(dead).count, "a dead-letter message is written with the end of its delivery: never twice")
        print(
            "bus crash test: \(ids.count) accepted events, \(queued.count - Set(queued).count) repeated in the queue, \(dead.count - Set(dead).count) in the DLQ, \(invoked.count - Set(invoked).count) repeated invocations, \(retried.count - Set(retried).count) repeated retried deliveries, \(runs) runs, \(kills) kills")
    }
}
