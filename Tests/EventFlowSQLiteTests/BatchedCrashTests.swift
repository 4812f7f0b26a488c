import Foundation
import Testing

/// Batched commits under SIGKILL: 32 invokes in flight at once share their accepts' transactions,
/// and every invoke that returned (said "accepted n") must have been committed — its invocation
/// ends in a record however often the worker is killed.
@Suite("Crash: batched accepts survive SIGKILL")
struct BatchedCrashTests {
    @Test("accepts batched 32 at a time under SIGKILL: every acknowledged invocation ends in its record")
    func killDuringBatchedAccepts() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")
        var rng = CrashTests.Rng(state: 31)
        let total = 600
        var acknowledged: Set<Int> = []
        // How many runs invoked each payload (a run invokes everything from its start on): an
        // upper bound on its invocations, each of which ends in one record.
        var invokedBy = [Int](repeating: 0, count: total)
        var kills = 0
        var next = 0
        var finished = false
        while !finished {
            let run = try await CrashTests.runWorker([path, "invoke", String(next), String(total), "32"], killAfter: rng.next(30...200))
            for n in next..<total { invokedBy[n] += 1 }
            acknowledged.formUnion(run.lines.compactMap { $0.hasPrefix("accepted ") ? Int($0.dropFirst(9)) : nil })
            if run.killed {
                kills += 1
                next = (next..<total).first { !acknowledged.contains($0) } ?? total
            } else {
                finished = run.lines.last == "idle"
                #expect(finished, "a run that was not killed ends idle")
                break
            }
            if next == total {
                // Everything acknowledged: work off what is stored.
                let rest = try await CrashTests.runWorker([path, "work"], killAfter: nil)
                finished = rest.lines.last == "idle"
            }
        }
        #expect(finished)
        let records = try await CrashTests.runWorker([path, "records"], killAfter: nil).lines
        var byPayload: [Int: [String]] = [:]
        for line in records {
            let parts = line.split(separator: " ")
            byPayload[Int(parts[2])!, default: []].append("\(parts[1]) \(parts[3])")
        }
        #expect(acknowledged.count == total)
        #expect(Set(byPayload.keys) == Set(0..<total), "acknowledged without a record: \(acknowledged.subtracting(byPayload.keys).sorted().prefix(5))")
        for (n, outcome) in byPayload {
            let expected = n % 7 == 0 ? "failure RetriesExhausted" : "success Success"
            #expect(outcome.count <= invokedBy[n], "\(n): at most one record per run that invoked it")
            #expect(outcome == Array(repeating: expected, count: outcome.count), "\(n)")
        }
        #expect(kills >= 1, "the test should have killed the worker (killed \(kills))")
        print("batched crash test: \(total) acknowledged, \(kills) kills, \(byPayload.values.reduce(0) { $0 + $1.count } - total) extra invocations (payloads a later run invoked again)")
    }
}
