import Benchmark
import Clocks
import EventFlow
import Foundation
import Synchronization

// Runtime throughput, all in memory on a test clock (virtual time costs nothing):
//  - asynchronous invocations end to end: invoke(.event) → the function's queue → handler →
//    on-success record to a queue; one in ten fails its first attempt and is retried 60 s later;
//  - putEvents through a bus with 1,000 rules whose targets are closures;
//  - an SQS event source mapping draining a queue in batches of 10.
// One iteration processes `count` items; items/s = count / wall-clock time.

struct Order: Codable, Sendable {
    var id: Int
    var amount: Int
}

struct Receipt: Codable, Sendable {
    var id: Int
}

let count = 10_000

func makeRuntime() -> (EventFlowRuntime, TestClock<Duration>) {
    let clock = TestClock<Duration>()
    let runtime = EventFlowRuntime(
        clock: RuntimeClock(clock, startDate: Date(timeIntervalSince1970: 1_763_978_400), advance: { await clock.advance(to: $0) }),
        ids: .sequential())
    return (runtime, clock)
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(30), maxIterations: 5)

    Benchmark("runtime async invocations (10,000; 10% retried)", configuration: configuration) { benchmark in
        let (runtime, _) = makeRuntime()
        let done = try Queue(name: "done", runtime: runtime)
        let fn = try LambdaFunction<Order, Receipt>(name: "charge", runtime: runtime) { order, context in
            if order.id % 10 == 0 && context.attempt == 1 { throw FunctionError("try again") }
            return Receipt(id: order.id)
        }
        try await fn.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(done)))
        benchmark.startMeasurement()
        for i in 0..<count { _ = try await fn.invoke(.event, Order(id: i, amount: i % 1000)) }
        await runtime.advance(by: .seconds(60))
        let delivered = await done.approximateNumberOfMessages
        benchmark.stopMeasurement()
        precondition(delivered == count, "expected \(count) success records, got \(delivered)")
    }

    Benchmark("runtime putEvents, 1,000 rules, closure targets (10,000 events)", configuration: configuration) { benchmark in
        let (runtime, _) = makeRuntime()
        let bus = try EventBus(name: "orders", runtime: runtime)
        let delivered = Atomic<Int>(0)
        let target = Target(id: "count", .handler { _ in delivered.add(1, ordering: .relaxed) })
        for r in 0..<1_000 {
            let pattern = r % 2 == 0
                ? #"{"source": ["shop"], "detail": {"customer": ["c\#(r)"]}}"#
                : #"{"source": ["shop"], "detail": {"customer": [{"prefix": "c\#(r)-"}], "amount": [{"numeric": [">", 100]}]}}"#
            try await bus.putRule("rule-\(r)", pattern: pattern, targets: [target])
        }
        var batches: [[PutEventsEntry]] = []
        for start in stride(from: 0, to: count, by: 10) {
            batches.append((start..<start + 10).map { i in
                let customer = i % 3 == 0 ? "c\(i % 1000)" : "c\(i % 1000)-vip"
                return PutEventsEntry(
                    source: "shop", detailType: "Order Placed", detail: #"{"customer":"\#(customer)","amount":\#(i % 500)}"#)
            })
        }
        benchmark.startMeasurement()
        for batch in batches { _ = try await bus.putEvents(batch) }
        // PutEvents answers before routing; the figure includes delivering to every target.
        await runtime.settle()
        benchmark.stopMeasurement()
        precondition(delivered.load(ordering: .relaxed) > 0, "no rule matched")
    }

    Benchmark("runtime SQS mapping, batches of 10 (10,000 messages)", configuration: configuration) { benchmark in
        let (runtime, _) = makeRuntime()
        let queue = try Queue(name: "work", runtime: runtime)
        let processed = Atomic<Int>(0)
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "worker", runtime: runtime) { batch, _ in
            processed.add(batch["Records"]?.arrayValue?.count ?? 0, ordering: .relaxed)
            return .null
        }
        let mapping = try await EventSourceMapping.create(
            source: .queue(queue), function: fn, configuration: .init(batchSize: 10, enabled: false), runtime: runtime)
        for i in 0..<count { try await queue.send(#"{"n":\#(i)}"#) }
        benchmark.startMeasurement()
        await mapping.setEnabled(true)
        await runtime.settle()
        benchmark.stopMeasurement()
        precondition(processed.load(ordering: .relaxed) == count, "expected \(count) records processed")
    }
}
