import EventFlow
import EventFlowTesting

// Runs the loan workflow on virtual time: hours of retries take milliseconds, and every run
// prints the same (sequential ids, actions one at a time).
let runtime = EventFlowRuntime.testing()
let workflow = try await LoanWorkflow(runtime: runtime)
for applicant in ["Alice", "Mallory", "Bob"] {
    try await workflow.submit(LoanApplication(applicant: applicant, amount: 10_000))
}
// Stops at every retry and delivery on the way, each running at its own virtual instant.
await runtime.advance(by: .seconds(300))

print("== loan-approved")
for m in await workflow.approved.messages { print(m.body) }
print("== loan-failures")
for m in await workflow.failures.messages { print(m.body) }
