import EventFlow
import EventFlowSQLite
import Foundation

// A queue producer and worker on a SQLite file: what it sends survives `kill -9`, and a message
// it received but did not delete comes back after its visibility timeout.
//
//   DurableQueueWorker FILE produce FROM TO   sends "m-FROM" ... "m-(TO-1)" to queue "jobs"
//   DurableQueueWorker FILE consume MS        receives (visibility MS ms), processes, deletes
//                                              until "jobs" is empty; "poison" messages fail
//                                              and move to "jobs-dlq" after 3 receives
//   DurableQueueWorker FILE count             prints the messages left in each queue
//
// Each step is printed once it has happened ("sent m-3", "processed m-3", "deleted m-3"), so a
// test that kills it at any moment knows what was acknowledged.

/// Writes a line at once (unbuffered), so a kill right after it cannot lose it.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: DurableQueueWorker FILE produce FROM TO | consume MS | count\n".utf8))
    exit(2)
}

let storage: SQLiteStorage
do {
    storage = try .sqlite(path: arguments[1])
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(3)
}
let runtime = EventFlowRuntime(storage: storage)
let dlq = try Queue(name: "jobs-dlq", runtime: runtime)
let jobs = try Queue(name: "jobs", runtime: runtime, redrivePolicy: .init(deadLetterQueue: dlq, maxReceiveCount: 3))

switch arguments[2] {
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
