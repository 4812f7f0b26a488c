import Clocks
import EventFlow
import Testing

/// The runtime's scheduler: delayed actions run when the clock reaches them, each seeing its own
/// instant as now when `advance(by:)` moves the clock across several instants at once.
@Suite("Scheduler")
struct SchedulerTests {
    actor Log {
        var entries: [String] = []
        func add(_ s: String) { entries.append(s) }
    }

    @Test("actions run at their instants when one advance passes several")
    func orderAndInstants() async throws {
        let h = Harness()
        let log = Log()
        let clock = h.runtime.clock
        for i in 0..<50 {
            await h.runtime.schedule(after: .seconds(10)) { await log.add("a\(i)@\(clock.now)") }
        }
        await h.runtime.schedule(after: .seconds(5)) { await log.add("b@\(clock.now)") }
        await h.runtime.schedule(after: .zero) { await log.add("now@\(clock.now)") }
        await h.settle()
        #expect(await log.entries == ["now@0.0 seconds"])
        #expect(await h.runtime.scheduledCount == 51)
        await h.advance(by: .seconds(30))
        let entries = await log.entries
        #expect(entries.prefix(2) == ["now@0.0 seconds", "b@5.0 seconds"])
        // Actions due at one instant run concurrently, in no promised order.
        #expect(entries.dropFirst(2).sorted() == (0..<50).map { "a\($0)@10.0 seconds" }.sorted())
        #expect(await h.runtime.scheduledCount == 0)
        #expect(await h.runtime.isIdle)
    }

    @Test("an action scheduled by a running action for the same instant still runs")
    func chained() async throws {
        let h = Harness()
        let log = Log()
        let runtime = h.runtime
        await runtime.schedule(after: .seconds(1)) {
            await log.add("first")
            await runtime.schedule(after: .seconds(1)) { await log.add("second") }
            await runtime.schedule(after: .zero) { await log.add("now") }
        }
        await h.advance(by: .seconds(1))
        #expect(await log.entries == ["first", "now"])
        await h.advance(by: .seconds(1))
        #expect(await log.entries == ["first", "now", "second"])
    }

    @Test("settle waits for long work that keeps moving: 3,000 queued messages drain in one call")
    func longWork() async throws {
        let h = Harness()
        let queue = try Queue(name: "work", runtime: h.runtime)
        let processed = Counter()
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "worker", runtime: h.runtime) { batch, _ in
            await processed.add(batch["Records"]?.arrayValue?.count ?? 0)
            return .null
        }
        let mapping = try await EventSourceMapping.create(
            source: .queue(queue), function: fn, configuration: .init(batchSize: 10, enabled: false), runtime: h.runtime)
        for i in 0..<3_000 { try await queue.send(#"{"n":\#(i)}"#) }
        await mapping.setEnabled(true)
        await h.settle()
        #expect(await processed.value == 3_000)
        #expect(await mapping.statistics.invocations == 300)
        #expect(await queue.approximateNumberOfMessages == 0)
    }

    @Test("settle gives up when nothing moves: a handler waiting for something that never comes")
    func stalledWork() async throws {
        let h = Harness()
        let gate = Gate()
        let fn = try LambdaFunction<Int, Int>(name: "sleepy", runtime: h.runtime, timeout: .seconds(120)) { n, _ in
            await gate.wait()
            return n
        }
        let done = try Queue(name: "done", runtime: h.runtime)
        try await fn.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(done)))
        _ = try await fn.invoke(.event, 7)
        await h.runtime.settle(maxRounds: 1_000, stallTimeout: .milliseconds(200))
        #expect(await h.runtime.isIdle == false)
        #expect(await done.approximateNumberOfMessages == 0)
        await gate.open()
        await h.settle()
        #expect(await done.approximateNumberOfMessages == 1)
    }

    /// A handler's wait on something outside the runtime.
    actor Gate {
        private var waiters: [CheckedContinuation<Void, Never>] = []
        private var isOpen = false
        func wait() async {
            if isOpen { return }
            await withCheckedContinuation { waiters.append($0) }
        }
        func open() {
            isOpen = true
            for w in waiters { w.resume() }
            waiters = []
        }
    }

    actor Counter {
        var value = 0
        func add(_ n: Int) { value += n }
    }

    @Test("with a test clock given without advance:, actions sleep on the clock and run when it is moved")
    func sleepersOnAPlainTestClock() async throws {
        let clock = TestClock<Duration>()
        let runtime = EventFlowRuntime(clock: RuntimeClock(clock, startDate: Harness.start), ids: .sequential())
        #expect(!runtime.clock.canAdvance)
        let log = Log()
        let now = runtime.clock
        await runtime.schedule(after: .seconds(60)) { await log.add("retry@\(now.now)") }
        await runtime.settle()
        #expect(await log.entries == [])
        await clock.advance(by: .seconds(60))
        await runtime.settle()
        #expect(await log.entries == ["retry@60.0 seconds"])
        #expect(await runtime.isIdle)
    }
}
