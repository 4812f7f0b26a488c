import Foundation
import Testing

/// Resource definitions on a SQLite file under SIGKILL: the worker registers its handler,
/// restores the bus, rule, queues and mapping from the file (defining only what is missing),
/// puts events while the restored mapping ships them, and is killed at random moments. No
/// restart defines a resource a run before it had stored, and every event whose message
/// reached the queue is shipped (at least once).
@Suite("Crash: resource definitions come back from the file after SIGKILL")
struct FlowCrashTests {
    static let resources = [
        "queue to-ship", "queue to-ship-dlq", "event bus orders", "rule orders/all-orders", "event source mapping ship-orders",
    ]

    @Test("put events through a restored bus, rule and mapping under SIGKILL: each resource defined once, no event lost")
    func killAndRestore() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")
        var rng = CrashTests.Rng(state: 77)
        let total = 400
        var acknowledged: [String] = []
        var shipped: Set<String> = []
        var defined: [String] = []
        var next = 0
        let (idle, runs, kills) = try await CrashTests.runUntilIdle(
            // The first run is killed early: a kill before it stored every definition leaves the
            // rest for the next run to define (each at most once, as checked below).
            killAfter: { $0 == 1 ? rng.next(5...60) : $0 <= 8 ? rng.next(60...300) : nil },
            arguments: { _ in
                if let last = acknowledged.last { next = Int(last.dropFirst(2))! + 1 }
                return [path, "flow", String(next), String(total)]
            },
            take: { line in
                if line.hasPrefix("put ") { acknowledged.append(String(line.dropFirst(4))) }
                if line.hasPrefix("shipped ") { shipped.insert(String(line.dropFirst(8))) }
                if line.hasPrefix("defined ") { defined.append(String(line.dropFirst(8))) }
            })
        if let last = acknowledged.last { next = Int(last.dropFirst(2))! + 1 }
        #expect(idle, "the worker never emptied its queue")
        #expect(next == total)
        // Each resource defined in code at most once over every run (a kill between storing a
        // definition and printing "defined" leaves it to the next run's restore).
        #expect(defined.count == Set(defined).count, "defined twice: \(defined)")
        #expect(Set(defined).isSubset(of: Set(Self.resources)))
        let lost = Set(acknowledged).subtracting(shipped)
        #expect(lost.isEmpty, "put but never shipped: \(lost.sorted().prefix(5))")
        #expect(Set(acknowledged) == Set((0..<total).map { "e-\($0)" }))
        #expect(kills >= 3, "the test should have killed the worker several times (killed \(kills))")
        // One more start: everything comes from the file, nothing is defined in code.
        let last = try await CrashTests.runWorker([path, "flow", String(total), String(total)], killAfter: nil).lines
        #expect(last == ["restored " + Self.resources.joined(separator: ", "), "idle"])
        print("flow crash test: \(acknowledged.count) acknowledged events, \(shipped.count) shipped, \(runs) runs, \(kills) kills, defined \(defined)")
    }
}
