import Foundation
import Testing

/// A Kinesis stream and its event source mapping on a SQLite file under SIGKILL: the worker puts
/// records while the mapping processes them (random handler failures, bisect, an on-failure
/// queue), is killed at random moments and started again, and resumes each shard from its
/// checkpoint. Every record put ends processed successfully (at least once) or covered by an
/// on-failure record — exactly one, since a batch's record and its checkpoint are one
/// transaction — and none is lost; records delivered again after a restart are counted.
@Suite("Crash: a stream mapping resumes from its checkpoints after SIGKILL")
struct StreamCrashTests {
    static func isPoison(_ name: String) -> Bool { (Int(name.dropFirst(2)) ?? 0) % 23 == 5 }

    @Test("put and process under SIGKILL: every record processed or in one on-failure record, none lost")
    func killAndResume() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")
        var rng = CrashTests.Rng(state: 4242)
        let total = 1_500
        var acknowledged: [String] = []
        var succeeded: [(name: String, sequence: String)] = []
        var next = 0
        // Put (and process), killed at random moments; each restart continues after the last
        // acknowledged put, then runs (killed a few times more) until everything is checkpointed.
        let (idle, runs, kills) = try await CrashTests.runUntilIdle(
            killAfter: { $0 <= 10 ? rng.next(40...250) : nil },
            arguments: { run in
                if let last = acknowledged.last { next = Int(last.dropFirst(2))! + 1 }
                return [path, "stream", String(next), String(total), String(run)]
            },
            take: { line in
                let parts = line.split(separator: " ").map(String.init)
                if parts.first == "put" { acknowledged.append(parts[1]) }
                if parts.first == "ok" { succeeded.append((parts[1], parts[2])) }
            })
        if let last = acknowledged.last { next = Int(last.dropFirst(2))! + 1 }
        #expect(idle, "the worker never got every record behind its checkpoint")
        #expect(next == total)
        let report = try await CrashTests.runWorker([path, "stream-report"], killAfter: nil).lines
        var stored: [String: String] = [:]  // sequence -> name
        var failed: [String] = []  // sequences, one per on-failure record covering it
        for line in report {
            let parts = line.split(separator: " ").map(String.init)
            if parts[0] == "record" { stored[parts[2]] = parts[1] }
            if parts[0] == "failed" { failed.append(parts[2]) }
        }
        // Every acknowledged put is stored (a put killed before its acknowledgement may be stored
        // too, and is put again by the next run: a second record with the same data).
        let storedNames = Set(stored.values)
        #expect(Set(acknowledged).subtracting(storedNames).isEmpty, "acknowledged but not stored: \(Set(acknowledged).subtracting(storedNames).sorted().prefix(5))")
        #expect(storedNames == Set((0..<total).map { "r-\($0)" }))
        // None lost: every stored record succeeded or is covered by an on-failure record.
        let ok = Set(succeeded.map(\.sequence))
        let lost = Set(stored.keys).subtracting(ok).subtracting(failed)
        #expect(lost.isEmpty, "neither processed nor in an on-failure record: \(lost.sorted().prefix(5).map { stored[$0]! })")
        // Exactly one on-failure record per record given up on.
        #expect(failed.count == Set(failed).count, "a record in two on-failure records")
        // Poison records always fail: each is in an on-failure record and never succeeded.
        let poison = Set(stored.filter { Self.isPoison($0.value) }.keys)
        #expect(poison.count >= total / 23)
        #expect(poison.isSubset(of: Set(failed)))
        #expect(poison.isDisjoint(with: ok))
        // Random failures put some good records into on-failure records too.
        #expect(Set(failed).subtracting(poison).count > 0)
        #expect(succeeded.allSatisfy { stored[$0.sequence] == $0.name })
        #expect(kills >= 3, "the test should have killed the worker several times (killed \(kills))")
        let repeats = succeeded.count - ok.count
        print(
            "stream crash test: \(acknowledged.count) acknowledged puts, \(stored.count) records stored, \(runs) runs, \(kills) kills, "
                + "\(ok.count) succeeded, \(Set(failed).count) in on-failure records, \(repeats) repeated deliveries")
    }
}
