import EventFlow
import Testing

@Suite("Event invoke config API")
struct InvokeConfigTests {
    @Test("put replaces, update merges, get returns AWS's shape", arguments: StoreKind.allCases)
    func putUpdateGet(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let q = try Queue(name: "q", runtime: h.runtime)
        let fn = try LambdaFunction<Order, Approval>(name: "f", runtime: h.runtime) { _, _ in Approval(approved: true) }
        try await fn.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 2, maximumEventAgeInSeconds: 60))
        try await fn.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 0))
        #expect(
            try await fn.eventInvokeConfigJSON().jsonText
                == #"{"FunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST","MaximumRetryAttempts":0,"DestinationConfig":{"OnSuccess":{},"OnFailure":{}}}"#)
        try await fn.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 2, maximumEventAgeInSeconds: 60))
        try await fn.updateEventInvokeConfig(maximumRetryAttempts: 0, onFailure: .queue(q))
        #expect(
            try await fn.eventInvokeConfigJSON().jsonText
                == #"{"FunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST","MaximumRetryAttempts":0,"MaximumEventAgeInSeconds":60,"DestinationConfig":{"OnSuccess":{},"OnFailure":{"Destination":"arn:aws:sqs:us-east-1:123456789012:q"}}}"#)
        try await fn.deleteEventInvokeConfig()
        await #expect(
            throws: AWSError(.resourceNotFound, "The function arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST doesn't have an EventInvokeConfig")
        ) { try await fn.getEventInvokeConfig() }
    }

    @Test("AWS's validation errors", arguments: StoreKind.allCases)
    func validation(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let fn = try LambdaFunction<Order, Approval>(name: "f", runtime: h.runtime) { _, _ in Approval(approved: true) }
        await #expect(throws: AWSError(.invalidParameterValue, "You must specify at least one of error handling or destination setting.")) {
            try await fn.putEventInvokeConfig(EventInvokeConfig())
        }
        await #expect(
            throws: AWSError(.validation, "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2")
        ) { try await fn.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 3)) }
        await #expect(
            throws: AWSError(.validation, "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60")
        ) { try await fn.putEventInvokeConfig(EventInvokeConfig(maximumEventAgeInSeconds: 59)) }
        await #expect(throws: AWSError(.invalidParameterValue, "You can't specify the function as a destination for itself.")) {
            try await fn.putEventInvokeConfig(EventInvokeConfig(onFailure: .function(fn)))
        }
        await #expect(
            throws: AWSError(.resourceNotFound, "The function arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST doesn't have an EventInvokeConfig")
        ) { try await fn.updateEventInvokeConfig(maximumRetryAttempts: 1) }
        await #expect(throws: AWSError(.resourceNotFound, "Function not found: arn:aws:lambda:us-east-1:123456789012:function:f:7")) {
            try await fn.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 1), qualifier: "7")
        }
    }

    @Test("configs are per qualifier and a published version starts without one", arguments: StoreKind.allCases)
    func qualifiers(store: StoreKind) async throws {
        let h = try Harness(store: store)
        let fn = try LambdaFunction<Order, Approval>(name: "f", runtime: h.runtime) { _, _ in Approval(approved: true) }
        try await fn.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 1))
        let v = await fn.publishVersion()
        #expect(v == "1")
        await #expect(throws: LambdaError.self) { try await fn.getEventInvokeConfig(qualifier: "1") }
        try await fn.createAlias("live", version: "1")
        try await fn.putEventInvokeConfig(EventInvokeConfig(maximumRetryAttempts: 0), qualifier: "live")
        #expect(try await fn.getEventInvokeConfig(qualifier: "live").maximumRetryAttempts == 0)
        #expect(try await fn.getEventInvokeConfig().maximumRetryAttempts == 1)
        #expect(await fn.listEventInvokeConfigs().map(\.qualifier) == ["$LATEST", "live"])
    }
}
