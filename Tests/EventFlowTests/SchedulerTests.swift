import Clocks
import EventFlow
import Testing

/// The runtime's scheduler: delayed actions run when the clock reaches them, each at its own
/// instant, and actions due at the same instant start in the order they were scheduled.
@Suite("Scheduler")
struct SchedulerTests {
    actor Log {
        var entries: [String] = []
        func add(_ s: String) { entries.append(s) }
    }

    @Test("actions run at their instants, same-instant ones in scheduling order")
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
        #expect(entries == ["now@0.0 seconds", "b@5.0 seconds"] + (0..<50).map { "a\($0)@10.0 seconds" })
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
}
