import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A worker process on a SQLite file, killed with SIGKILL at random moments and started again:
/// every message it acknowledged must be processed and gone from the queue (or, for poison
/// messages, end in the dead-letter queue), and nothing may be lost; repeats (processed, killed before the delete)
/// are counted, since delivery is at least once.
@Suite("Crash: SIGKILL and restart lose nothing")
struct CrashTests {
    struct Rng {
        var state: UInt64
        mutating func next(_ range: ClosedRange<Int>) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return range.lowerBound + Int((state >> 33) % UInt64(range.count))
        }
    }

    /// Starts the worker, kills it after `killAfter` milliseconds (if it is still running), and
    /// returns its output lines and whether it was killed.
    static func runWorker(_ arguments: [String], killAfter: Int?) async throws -> (lines: [String], killed: Bool) {
        try await onThread { try runWorkerBlocking(arguments, killAfter: killAfter) }
    }

    /// Starts the worker again and again (at most 40 times) until a run ends by itself with
    /// "idle": run n (from 1) is killed after `killAfter(n)` milliseconds (never when nil) and
    /// started with `arguments(n)`, which may depend on the lines earlier runs handed to `take`.
    static func runUntilIdle(
        killAfter: (Int) -> Int?, arguments: (Int) -> [String], take: (String) -> Void
    ) async throws -> (idle: Bool, runs: Int, kills: Int) {
        var runs = 0
        var kills = 0
        while runs < 40 {
            runs += 1
            let run = try await runWorker(arguments(runs), killAfter: killAfter(runs))
            if run.killed { kills += 1 }
            run.lines.forEach(take)
            if !run.killed && run.lines.last == "idle" { return (true, runs, kills) }
        }
        return (false, runs, kills)
    }

    private static func runWorkerBlocking(_ arguments: [String], killAfter: Int?) throws -> (lines: [String], killed: Bool) {
        let (process, pipe) = try start(Paths.worker, arguments)
        var killed = false
        if let killAfter {
            let deadline = Date().addingTimeInterval(Double(killAfter) / 1000)
            while process.isRunning && Date() < deadline { usleep(1_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed = true
            }
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        return (lines, killed && process.terminationReason == .uncaughtSignal)
    }

    @Test("producing and consuming under SIGKILL: every acknowledged message is processed and gone, or dead-lettered")
    func killAndRestart() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")
        var rng = Rng(state: 2026)
        let total = 3_000
        var acknowledged: [String] = []
        var kills = 0
        // Produce, killed at random moments; each restart continues after the last acknowledged.
        var next = 0
        while next < total {
            let run = try await Self.runWorker([path, "produce", String(next), String(total)], killAfter: rng.next(20...120))
            if run.killed { kills += 1 }
            let sent = run.lines.compactMap { $0.hasPrefix("sent ") ? String($0.dropFirst(5)) : nil }
            acknowledged += sent
            if let last = sent.last, let n = Int(last.split(separator: "-").last!) { next = n + 1 }
            if !run.killed { next = total }
        }
        // Consume, killed at random moments, then once to the end.
        var processed: [String] = []
        var deleted: Set<String> = []
        var finished = false
        var rounds = 0
        while !finished {
            rounds += 1
            let run = try await Self.runWorker([path, "consume", "200"], killAfter: rounds <= 6 ? rng.next(30...150) : nil)
            if run.killed { kills += 1 }
            for line in run.lines {
                if line.hasPrefix("processed ") { processed.append(String(line.dropFirst(10))) }
                if line.hasPrefix("deleted ") { deleted.insert(String(line.dropFirst(8))) }
                if line == "empty" { finished = true }
            }
            #expect(rounds < 50, "the consumer never reached an empty queue")
            if rounds >= 50 { break }
        }
        let count = try await Self.runWorker([path, "count"], killAfter: nil).lines
        let dead = Set(count.compactMap { $0.hasPrefix("dead ") ? String($0.dropFirst(5)) : nil })
        #expect(count.first == "jobs 0")
        let expectedPoison = Set(acknowledged.filter { $0.hasPrefix("poison") })
        let expectedDone = Set(acknowledged.filter { $0.hasPrefix("m-") })
        // Processed and gone from the queue: the consumer prints "processed" before deleting, so a
        // message missing from `deleted` was deleted by a run killed before it could say so.
        let seen = Set(processed)
        #expect(expectedDone.subtracting(seen).isEmpty, "acknowledged but never processed: \(expectedDone.subtracting(seen).sorted().prefix(5))")
        #expect(deleted.isSubset(of: seen))
        #expect(expectedPoison.subtracting(dead).isEmpty, "poison messages not dead-lettered")
        // Nothing comes from nowhere: every message seen was one the producer sent (a send cut
        // off before its acknowledgement may still have been stored).
        let possible = Set((0..<total).map { $0 % 50 == 7 ? "poison-\($0)" : "m-\($0)" })
        #expect(deleted.union(dead).isSubset(of: possible))
        #expect(kills >= 3, "the test should have killed the worker several times (killed \(kills))")
        let repeats = processed.filter { !$0.hasPrefix("poison") }.count - Set(processed.filter { !$0.hasPrefix("poison") }).count
        print("crash test: \(acknowledged.count) acknowledged, \(kills) kills, \(repeats) repeated handler runs")
    }
}

/// Asynchronous invocations on a SQLite file under SIGKILL: every accepted invocation ends in
/// exactly one record (its end and its record are one transaction), none is lost, and handler
/// runs repeated because a kill interrupted an attempt are counted.
@Suite("Crash: asynchronous invocations resume after SIGKILL")
struct InvocationCrashTests {
    @Test("accept and work under SIGKILL: exactly one record per accepted invocation")
    func killAndResume() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path("flow.db")
        var rng = CrashTests.Rng(state: 12)
        let total = 600
        var accepted: [Int] = []
        var runs = 0
        var kills = 0
        var next = 0
        var idle = false
        // A run killed between storing an invocation and saying so: that payload is invoked again
        // by the next run, so it may have one more invocation, each with its record, for every
        // run killed while it was the next to accept (an accept's commit and the line saying so
        // are apart by the batch it shares and a hop back to the function).
        var killedAt: [Int: Int] = [:]
        // Accept (and start working), killed at random moments; continue after the last accepted.
        while next < total {
            let run = try await CrashTests.runWorker([path, "invoke", String(next), String(total)], killAfter: rng.next(30...200))
            if run.killed { kills += 1 }
            let got = run.lines.compactMap { $0.hasPrefix("accepted ") ? Int($0.dropFirst(9)) : nil }
            accepted += got
            runs += run.lines.filter { $0.hasPrefix("ran ") }.count
            if let last = got.last { next = last + 1 }
            if run.killed { killedAt[next, default: 0] += 1 }
            if !run.killed {
                next = total
                idle = run.lines.last == "idle"
            }
        }
        // Work off what is stored, killed a few times, then to the end.
        var rounds = 0
        while !idle && rounds < 30 {
            rounds += 1
            let run = try await CrashTests.runWorker([path, "work"], killAfter: rounds <= 4 ? rng.next(30...150) : nil)
            if run.killed { kills += 1 }
            runs += run.lines.filter { $0.hasPrefix("ran ") }.count
            idle = run.lines.last == "idle"
        }
        #expect(idle, "the stored invocations were never worked off")
        let records = try await CrashTests.runWorker([path, "records"], killAfter: nil).lines
        var byPayload: [Int: [String]] = [:]
        for line in records {
            let parts = line.split(separator: " ")
            byPayload[Int(parts[2])!, default: []].append("\(parts[1]) \(parts[3])")
        }
        // An invocation accepted by a run killed before it said so may also have a record.
        #expect(Set(accepted).isSubset(of: Set(byPayload.keys)), "accepted without a record: \(Set(accepted).subtracting(byPayload.keys).sorted().prefix(5))")
        for (n, outcome) in byPayload {
            let expected = n % 7 == 0 ? "failure RetriesExhausted" : "success Success"
            let invocations = 1 + (killedAt[n] ?? 0)
            #expect(outcome.count <= invocations, "\(n): one record per invocation, at most \(invocations) invocations")
            #expect(outcome == Array(repeating: expected, count: outcome.count), "\(n)")
        }
        #expect(kills >= 3, "the test should have killed the worker several times (killed \(kills))")
        // Attempts the handlers would make without kills: 3 for n % 7 == 0, 2 for other n % 3 == 0, else 1.
        let needed = byPayload.reduce(0) { $0 + $1.value.count * ($1.key % 7 == 0 ? 3 : $1.key % 3 == 0 ? 2 : 1) }
        print("invocation crash test: \(accepted.count) accepted, \(kills) kills, \(runs - needed) repeated handler runs")
        #expect(runs >= needed)
    }
}
