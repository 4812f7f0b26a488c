import Clocks
import EventFlow
import Foundation

// Runs the loan workflow on virtual time: hours of retries take milliseconds.
let clock = TestClock<Duration>()
let runtime = EventFlowRuntime(clock: RuntimeClock(clock, startDate: Date(timeIntervalSince1970: 1_763_978_400)), ids: .sequential())
let workflow = try await LoanWorkflow(runtime: runtime)
for applicant in ["Alice", "Mallory", "Bob"] {
    try await workflow.submit(LoanApplication(applicant: applicant, amount: 10_000))
}
for _ in 0..<10 {
    await runtime.settle()
    await clock.advance(by: .seconds(30))
}
await runtime.settle()

print("== loan-approved")
for m in await workflow.approved.messages { print(m.body) }
print("== loan-failures")
for m in await workflow.failures.messages { print(m.body) }
