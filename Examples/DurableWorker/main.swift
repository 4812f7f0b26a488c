import EventFlow
import EventFlowSQLite
import Foundation

// A queue producer and worker, and a function invoked asynchronously, on a SQLite file: what
// was sent or accepted survives `kill -9`; a message received but not deleted comes back after
// its visibility timeout; an invocation waiting, retrying or interrupted mid-attempt resumes
// when the function is registered again, and its record reaches its queue exactly once.
//
//   DurableWorker FILE produce FROM TO   sends "m-FROM" ... "m-(TO-1)" to queue "jobs"
//   DurableWorker FILE consume MS        receives (visibility MS ms), processes, deletes
//                                              until "jobs" is empty; "poison" messages fail
//                                              and move to "jobs-dlq" after 3 receives
//   DurableWorker FILE count             prints the messages left in each queue
//   DurableWorker FILE invoke FROM TO [C] invokes "charge" asynchronously with FROM ... TO-1 (C
//                                        invokes in flight at once, 1 by default), then works
//                                        until no invocation is pending
//   DurableWorker FILE bench FROM TO [C] the benchmark: like invoke, but every attempt succeeds and
//                                        nothing is printed per step (accept -> handler ->
//                                        success record in "succeeded"); prints the rate
//   DurableWorker FILE pending N         stores N pending invocations of "charge" without running
//                                        them (for timing a start-up)
//   DurableWorker FILE startup           opens the file, registers "charge", resumes the stored
//                                        work, prints how long that took, and exits
//   DurableWorker FILE work              resumes the stored invocations and works them off
//   DurableWorker FILE records           prints each record in "succeeded" and "failed"
//   DurableWorker FILE stream FROM TO S  puts "r-FROM" ... "r-(TO-1)" to the Kinesis stream "clicks"
//                                        while a mapping (failures seeded with S) processes them,
//                                        then works until every record is checkpointed
//   DurableWorker FILE stream-report     prints the stream's records and those its on-failure
//                                        records cover (see StreamWorker.swift)
//   DurableWorker FILE flow FROM TO      restores the bus "orders", its rule, the queue "to-ship"
//                                        and its mapping from the file (defining what is missing),
//                                        puts "e-FROM" ... "e-(TO-1)" on the bus and works until
//                                        the queue is empty (see FlowWorker.swift)
//   DurableWorker FILE bus FROM TO       puts events {"n": FROM} ... on the bus "shop", whose rule
//                                        sends each to the queue "bus-q", the function "note", a
//                                        target that throttles once and a queue too small (to its
//                                        DLQ), then works until nothing is pending (BusWorker.swift)
//   DurableWorker FILE bus-report        prints the event ids in "bus-q", "note"'s records,
//                                        "retried" and "bus-dlq"
//
// Each step is printed once it has happened ("sent m-3", "processed m-3", "deleted m-3"), so a
// test that kills it at any moment knows what was acknowledged.

/// Writes a line at once (unbuffered), so a kill right after it cannot lose it.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(
        Data("usage: DurableWorker FILE produce FROM TO | consume MS | count | invoke FROM TO | work | records\n".utf8))
    exit(2)
}

let started = ContinuousClock.now
let environment = ProcessInfo.processInfo.environment
/// DURABLE_STORAGE=memory: everything in memory, FILE unused (to compare with SQLite).
let inMemory = environment["DURABLE_STORAGE"] == "memory"
let sqlite: SQLiteStorage?
do {
    // DURABLE_COMMITS=per-operation: one transaction per write (to compare with the default,
    // batched); DURABLE_COMMIT_DELAY_MS=N: batches held open up to N ms; DURABLE_SYNCHRONOUS=full:
    // a sync to disk at every commit.
    let delay = Duration.milliseconds(Int(environment["DURABLE_COMMIT_DELAY_MS"] ?? "0") ?? 0)
    let commits: SQLiteStorage.CommitPolicy =
        environment["DURABLE_COMMITS"] == "per-operation" ? .perOperation : .batched(maxDelay: delay)
    let synchronous: SQLiteStorage.Synchronous = environment["DURABLE_SYNCHRONOUS"] == "full" ? .full : .normal
    sqlite = inMemory ? nil : try .sqlite(path: arguments[1], synchronous: synchronous, commits: commits)
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(3)
}
let storage: any RuntimeStorage = sqlite ?? InMemoryStorage()
let runtime = EventFlowRuntime(storage: storage)
let dlq = try Queue(name: "jobs-dlq", runtime: runtime)
let jobs = try Queue(name: "jobs", runtime: runtime, redrivePolicy: .init(deadLetterQueue: dlq, maxReceiveCount: 3))

let succeeded = try Queue(name: "succeeded", runtime: runtime)
let failed = try Queue(name: "failed", runtime: runtime)

/// "charge": n divisible by 3 fails its first attempt, n divisible by 7 always fails (three
/// attempts, then a failure record); retries come after 100 ms, 200 ms.
func makeCharge() async throws -> LambdaFunction<Int, Int> {
    let charge = try LambdaFunction<Int, Int>(name: "charge", runtime: runtime) { n, context in
        say("ran \(n) attempt \(context.attempt)")
        if n % 7 == 0 || (n % 3 == 0 && context.attempt == 1) { throw FunctionError("declined \(n)") }
        return n * 2
    }
    await charge.setRetryBaseDelay(.milliseconds(100))
    try await charge.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(succeeded), onFailure: .queue(failed)))
    // Registered and configured: what an earlier (killed) process left resumes now.
    await runtime.resumeStoredWork()
    return charge
}

/// "settle": the benchmark's function, which always succeeds and prints nothing.
func makeSettle() async throws -> LambdaFunction<Int, Int> {
    let settle = try LambdaFunction<Int, Int>(name: "charge", runtime: runtime) { n, _ in n * 2 }
    try await settle.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(succeeded), onFailure: .queue(failed)))
    await runtime.resumeStoredWork()
    return settle
}

/// Invokes `function` with every payload in `range`, `inFlight` invokes outstanding at once;
/// `accepted` is told of each acknowledged payload.
func invokeAll(
    _ function: LambdaFunction<Int, Int>, _ range: Range<Int>, inFlight: Int, accepted: @escaping (Int) -> Void
) async throws {
    try await withThrowingTaskGroup(of: Int.self) { group in
        var next = range.lowerBound
        func start() {
            guard next < range.upperBound else { return }
            let n = next
            next += 1
            group.addTask { _ = try await function.invoke(.event, n); return n }
        }
        for _ in 0..<inFlight { start() }
        while let n = try await group.next() {
            accepted(n)
            start()
        }
    }
}

/// Waits until the store holds no pending invocation of "charge".
func workOff() async throws {
    while try storage.invocations.pendingCount(function: "charge") > 0 { try await Task.sleep(for: .milliseconds(10)) }
    say("idle")
}

/// In memory nothing is pending in a store: waits until `count` invocations have their record.
func workOff(records count: Int) async throws {
    while await succeeded.approximateNumberOfMessages + failed.approximateNumberOfMessages < count {
        try await Task.sleep(for: .milliseconds(10))
    }
    say("idle")
}

switch arguments[2] {
case "invoke", "bench":
    let quiet = arguments[2] == "bench"
    let function = try await quiet ? makeSettle() : makeCharge()
    let range = Int(arguments[3])!..<Int(arguments[4])!
    let inFlight = arguments.count > 5 ? Int(arguments[5])! : 1
    guard inFlight >= 1 else {
        FileHandle.standardError.write(Data("\(arguments[2]): C must be at least 1, got \(inFlight)\n".utf8))
        exit(2)
    }
    let invoking = ContinuousClock.now
    try await invokeAll(function, range, inFlight: inFlight) { n in if !quiet { say("accepted \(n)") } }
    if let sqlite {
        try await workOff()
        let batches = sqlite.committedBatches
        FileHandle.standardError.write(
            Data("\(range.count) invocations settled in \(ContinuousClock.now - started); \(batches.writes) writes in \(batches.transactions) transactions\n".utf8))
    } else {
        try await workOff(records: range.count)
        FileHandle.standardError.write(Data("\(range.count) invocations settled in memory in \(ContinuousClock.now - started)\n".utf8))
    }
    if quiet {
        let seconds = Double((ContinuousClock.now - invoking).components.attoseconds) / 1e18
            + Double((ContinuousClock.now - invoking).components.seconds)
        say("\(Int(Double(range.count) / seconds)) invocations/s from the first invoke to the last record")
    }
case "pending":
    let count = Int(arguments[3])!
    let now = Date()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for chunk in stride(from: 0, to: count, by: 1000) {
            group.addTask {
                for n in chunk..<min(chunk + 1000, count) {
                    try await storage.invocations.insert(
                        StoredInvocation(
                            requestId: UUID().uuidString.lowercased(), function: "charge", qualifier: "$LATEST", payload: String(n),
                            enqueuedAt: now, dueAt: now))
                }
            }
        }
        try await group.waitForAll()
    }
    say("stored \(try storage.invocations.pendingCount(function: "charge")) pending")
case "startup":
    let opened = ContinuousClock.now - started
    _ = try await makeCharge()
    let resumed = ContinuousClock.now - started
    say("opened in \(opened), \(try storage.invocations.pendingCount(function: "charge")) pending resumed in \(resumed) since start")
    exit(0)
case "work":
    _ = try await makeCharge()
    try await workOff()
case "records":
    for (queue, label) in [(succeeded, "success"), (failed, "failure")] {
        for m in await queue.messages {
            let record = try JSONParser.parse(m.body)
            say("record \(label) \(record["requestPayload"]!.jsonText) \(record["requestContext"]!["condition"]!.stringValue!)")
        }
    }
case "stream":
    try await StreamWorker.run(
        from: Int(arguments[3])!, to: Int(arguments[4])!, seed: UInt64(arguments[5])!, runtime: runtime, storage: storage)
case "flow":
    try await FlowWorker.run(from: Int(arguments[3])!, to: Int(arguments[4])!, runtime: runtime)
case "bus":
    try await BusWorker.run(from: Int(arguments[3])!, to: Int(arguments[4])!, runtime: runtime, storage: storage)
case "bus-report":
    try await BusWorker.report(runtime: runtime)
case "stream-report":
    try await StreamWorker.report(runtime: runtime)
case "produce":
    let from = Int(arguments[3])!, to = Int(arguments[4])!
    for i in from..<to {
        let body = i % 50 == 7 ? "poison-\(i)" : "m-\(i)"
        try await jobs.send(body)
        say("sent \(body)")
    }
case "consume":
    let visibility = Duration.milliseconds(Int(arguments[3])!)
    while true {
        let batch = await jobs.receive(max: 10, visibilityTimeout: visibility)
        if batch.isEmpty {
            if await jobs.approximateNumberOfMessages == 0 { break }
            try await Task.sleep(for: .milliseconds(20))
            continue
        }
        for message in batch {
            say("processed \(message.body)")
            if message.body.hasPrefix("poison") { continue }
            if await jobs.delete(receiptHandle: message.receiptHandle) { say("deleted \(message.body)") }
        }
    }
    say("empty")
case "count":
    say("jobs \(await jobs.approximateNumberOfMessages)")
    say("jobs-dlq \(await dlq.approximateNumberOfMessages)")
    for m in await dlq.messages { say("dead \(m.body)") }
default:
    FileHandle.standardError.write(Data("unknown command \(arguments[2])\n".utf8))
    exit(2)
}
