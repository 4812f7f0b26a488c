import Clocks
import EventFlow
import Foundation
import Testing

/// Every accepted asynchronous invocation ends in exactly one recorded outcome, whatever mix
/// of failures, throttling, retries and event ages it meets.
@Suite("Outcome guarantee")
struct OutcomeGuaranteeTests {
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }
    }

    @Test("random failures, throttling and configurations", arguments: [UInt64(1), 2, 3], StoreKind.allCases)
    func exactlyOneOutcome(seed: UInt64, store: StoreKind) async throws {
        let h = try Harness(store: store)
        var rng = Rng(state: seed)
        let dlq = try Queue(name: "dlq", runtime: h.runtime)
        var functions: [LambdaFunction<Order, Approval>] = []
        for i in 0..<4 {
            let failPercent = UInt64(rng.next() % 100)
            let slow = rng.chance(50)
            let concurrency: Int? = [nil, 1, 2, 0][Int(rng.next() % 4)]
            let counter = FailureDice(seed: seed &* 31 &+ UInt64(i), percent: failPercent)
            let fn = try LambdaFunction<Order, Approval>(name: "f\(i)", runtime: h.runtime, reservedConcurrency: concurrency, deadLetter: rng.chance(50) ? .queue(dlq) : nil, timeout: .seconds(10)) { _, context in
                if slow { try await context.sleep(for: .seconds(3)) }
                if await counter.roll() { throw Declined() }
                return Approval(approved: true)
            }
            let retries = Int(rng.next() % 3)
            let age = [60, 90, 300, 21_600][Int(rng.next() % 4)]
            try await fn.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: retries, maximumEventAgeInSeconds: age))
            functions.append(fn)
        }
        var accepted: [String: Int] = [:]
        for n in 0..<40 {
            let fn = functions[Int(rng.next() % UInt64(functions.count))]
            _ = try await fn.invoke(.event, Order(orderId: "o\(n)", amount: n))
            accepted[fn.name, default: 0] += 1
        }
        // Six hours and a bit, in steps: long enough for every retry, backoff and age limit.
        for _ in 0..<230 { await h.advance(by: .seconds(100)) }
        for fn in functions {
            let outcomes = await fn.outcomes
            #expect(outcomes.count == accepted[fn.name, default: 0], "\(fn.name)")
            #expect(Set(outcomes.map(\.requestId)).count == outcomes.count, "\(fn.name): one outcome per request")
            for o in outcomes {
                #expect(["Success", "RetriesExhausted", "EventAgeExceeded", "ZeroReservedConcurrency"].contains(o.condition))
            }
        }
        #expect(await h.runtime.scheduledCount == 0)
    }
}

actor FailureDice {
    var rng: OutcomeGuaranteeTests.Rng
    let percent: UInt64
    init(seed: UInt64, percent: UInt64) {
        rng = .init(state: seed)
        self.percent = percent
    }
    func roll() -> Bool { rng.chance(percent) }
}
