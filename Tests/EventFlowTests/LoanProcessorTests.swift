import Clocks
import EventFlow
import Foundation
import Testing

@testable import LoanProcessor

@Suite("Examples/LoanProcessor")
struct LoanProcessorTests {
    @Test("approved and failed applications, including one through every retry in virtual time")
    func workflow() async throws {
        let h = Harness()
        let workflow = try await LoanWorkflow(runtime: h.runtime)
        for applicant in ["Alice", "Mallory", "Bob"] {
            try await workflow.submit(LoanApplication(applicant: applicant, amount: 10_000))
        }
        await h.settle()
        // Alice is through at once; Mallory and Bob wait for their retries.
        #expect(await workflow.approved.messages.count == 1)
        #expect(await workflow.failures.messages.isEmpty)
        await h.advance(by: .seconds(60))
        await h.advance(by: .seconds(119))
        #expect(await workflow.failures.messages.isEmpty)
        await h.advance(by: .seconds(1))

        let approved = try await workflow.approved.messages.map { try JSONParser.parse($0.body) }
        #expect(approved.count == 1)
        #expect(approved.first?["requestContext"]?["functionArn"] == "arn:aws:lambda:us-east-1:123456789012:function:credit-reference:$LATEST")
        #expect(approved.first?["requestContext"]?["condition"] == "Success")
        // responseOnly: the credit reference received exactly what the identity check returned.
        #expect(approved.first?["requestPayload"] == ["amount": 10000, "applicant": "Alice", "identityVerified": true])
        #expect(approved.first?["responsePayload"] == ["amount": 10000, "applicant": "Alice", "creditScore": 725, "identityVerified": true])

        let failures = try await workflow.failures.messages.map { try JSONParser.parse($0.body) }
        #expect(failures.count == 2)
        let byApplicant = Dictionary(uniqueKeysWithValues: failures.map { ($0["requestPayload"]?["applicant"]?.stringValue ?? "?", $0) })
        let mallory = try #require(byApplicant["Mallory"])
        #expect(mallory["requestContext"]?["functionArn"] == "arn:aws:lambda:us-east-1:123456789012:function:identity-check:$LATEST")
        #expect(mallory["requestContext"]?["condition"] == "RetriesExhausted")
        #expect(mallory["requestContext"]?["approximateInvokeCount"] == 3)
        #expect(mallory["responsePayload"]?["errorMessage"] == "identity of Mallory could not be verified")
        #expect(mallory["timestamp"] == "2025-11-24T10:03:00.000Z")
        let bob = try #require(byApplicant["Bob"])
        #expect(bob["requestContext"]?["functionArn"] == "arn:aws:lambda:us-east-1:123456789012:function:credit-reference:$LATEST")
        #expect(bob["requestContext"]?["approximateInvokeCount"] == 3)
        #expect(bob["requestPayload"] == ["amount": 10000, "applicant": "Bob", "identityVerified": true])
        #expect(bob["responseContext"] == ["statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"])
        #expect(bob["responsePayload"] == ["errorMessage": "credit bureau unavailable", "errorType": "CreditBureauUnavailable", "stackTrace": []])
    }
}
