import EventFlow

/// A loan application, passed from function to function and enriched on the way.
public struct LoanApplication: Codable, Sendable, Equatable {
    public var applicant: String
    public var amount: Int
    public var identityVerified: Bool?
    public var creditScore: Int?

    public init(applicant: String, amount: Int, identityVerified: Bool? = nil, creditScore: Int? = nil) {
        self.applicant = applicant
        self.amount = amount
        self.identityVerified = identityVerified
        self.creditScore = creditScore
    }
}

public struct IdentityRejected: Error, CustomStringConvertible {
    public var applicant: String
    public var description: String { "identity of \(applicant) could not be verified" }
}

public struct CreditBureauUnavailable: Error, CustomStringConvertible {
    public var description: String { "credit bureau unavailable" }
}

/// Identity check → credit reference → approved queue; any failure → failures queue.
///
/// Each function's on-success destination is the next function with `responseOnly`, so the
/// next step receives exactly the enriched application the previous one returned.
public struct LoanWorkflow: Sendable {
    public let identityCheck: LambdaFunction<LoanApplication, LoanApplication>
    public let creditReference: LambdaFunction<LoanApplication, LoanApplication>
    public let approved: Queue
    public let failures: Queue

    public init(runtime: EventFlowRuntime) async throws {
        approved = try Queue(name: "loan-approved", runtime: runtime)
        failures = try Queue(name: "loan-failures", runtime: runtime)
        identityCheck = try LambdaFunction(name: "identity-check", runtime: runtime) { application, _ in
            guard application.applicant != "Mallory" else { throw IdentityRejected(applicant: application.applicant) }
            var verified = application
            verified.identityVerified = true
            return verified
        }
        creditReference = try LambdaFunction(name: "credit-reference", runtime: runtime) { application, _ in
            // The bureau never answers for Bob: his application goes through every retry.
            guard application.applicant != "Bob" else { throw CreditBureauUnavailable() }
            var scored = application
            scored.creditScore = 600 + application.applicant.count * 25
            return scored
        }
        try await identityCheck.putEventInvokeConfig(
            EventInvokeConfig(onSuccess: .function(creditReference, responseOnly: true), onFailure: .queue(failures)))
        try await creditReference.putEventInvokeConfig(EventInvokeConfig(onSuccess: .queue(approved), onFailure: .queue(failures)))
    }

    public func submit(_ application: LoanApplication) async throws {
        _ = try await identityCheck.invoke(.event, application)
    }
}
