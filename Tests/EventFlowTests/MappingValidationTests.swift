import Clocks
import EventFlow
import Foundation
import Testing

@Suite("Event source mapping: configuration errors")
struct MappingValidationTests {
    static func error(
        _ configuration: EventSourceMappingConfiguration, stream: Bool = false, dynamo: Bool = false
    ) async throws -> AWSError? {
        let h = Harness()
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "fn", runtime: h.runtime) { _, _ in .null }
        let source: MappingSource
        if dynamo {
            source = .stream(try DataStream(dynamoDBTable: "T", runtime: h.runtime))
        } else if stream {
            source = .stream(try DataStream(kinesis: "s", runtime: h.runtime))
        } else {
            source = .queue(try Queue(name: "q", runtime: h.runtime))
        }
        do {
            _ = try await EventSourceMapping.create(source: source, function: fn, configuration: configuration, runtime: h.runtime)
            return nil
        } catch {
            return error
        }
        
    }

    static let validation = AWSError.Code.validation
    static let invalid = AWSError.Code.invalidParameterValue

    @Test("ranges and source-specific rules, with AWS's error types and texts")
    func errors() async throws {
        let cases: [(EventSourceMappingConfiguration, Bool, AWSError.Code, String)] = [
            (.init(batchSize: 0), false, Self.validation,
             "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1"),
            (.init(batchSize: 10_001), false, Self.validation,
             "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000"),
            (.init(maximumBatchingWindowInSeconds: 301), false, Self.validation,
             "1 validation error detected: Value '301' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300"),
            (.init(batchSize: 11), false, Self.invalid,
             "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"),
            (.init(onFailure: .topic(try Topic(name: "t", runtime: Harness().runtime))), false, Self.invalid,
             "Unsupported DestinationConfig parameter for given event source mapping type."),
            (.init(bisectBatchOnFunctionError: true), false, Self.invalid,
             "Unsupported BisectBatchOnFunctionError parameter for given event source mapping type."),
            (.init(), true, Self.invalid, "StartingPosition is required for stream event sources."),
            (.init(startingPosition: .latest, maximumRetryAttempts: 10_001), true, Self.validation,
             "1 validation error detected: Value '10001' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 10000"),
            (.init(startingPosition: .latest, maximumRetryAttempts: -2), true, Self.validation,
             "1 validation error detected: Value '-2' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value greater than or equal to -1"),
            (.init(startingPosition: .latest, maximumRecordAgeInSeconds: 30), true, Self.invalid,
             "MaximumRecordAgeInSeconds must be -1 or between 60 and 604800."),
            (.init(startingPosition: .latest, maximumRecordAgeInSeconds: 604_801), true, Self.validation,
             "1 validation error detected: Value '604801' at 'maximumRecordAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 604800"),
            (.init(startingPosition: .latest, parallelizationFactor: 11), true, Self.validation,
             "1 validation error detected: Value '11' at 'parallelizationFactor' failed to satisfy constraint: Member must have value less than or equal to 10"),
            (.init(filters: Array(repeating: #"{"a": [1]}"#, count: 6)), false, Self.invalid,
             "The number of filters (6) exceeds the maximum of 5."),
            (.init(filters: [#"{"body": {"a": [{"bogus": 1}]}}"#]), false, Self.invalid, "Invalid filter pattern definition."),
            (.init(filters: ["not json"]), false, Self.invalid, "Invalid filter pattern definition."),
            (.init(filters: [#"{"data": ["plain text"]}"#], startingPosition: .latest), true, Self.invalid,
             "Invalid filter pattern definition."),
        ]
        for (configuration, stream, type, message) in cases {
            let e = try await Self.error(configuration, stream: stream)
            #expect(e == AWSError(type, message))
        }
        #expect(
            try await Self.error(.init(startingPosition: .atTimestamp(Date())), dynamo: true)
                == AWSError(Self.invalid, "Unsupported starting position AT_TIMESTAMP for DynamoDB stream event sources."))
        #expect(try await Self.error(.init(batchSize: 10_000, maximumBatchingWindowInSeconds: 1)) == nil)
        #expect(try await Self.error(.init(filters: [#"{"body": ["plain text"]}"#])) == nil)
    }

    @Test("a second mapping of the same source and function is a ResourceConflictException naming the first")
    func duplicates() async throws {
        let h = Harness()
        let queue = try Queue(name: "jobs", runtime: h.runtime)
        let stream = try DataStream(kinesis: "events", runtime: h.runtime)
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "worker", runtime: h.runtime) { _, _ in .null }
        let first = try await EventSourceMapping.create(source: .queue(queue), function: fn, runtime: h.runtime)
        await #expect(
            throws: AWSError(.resourceConflict, "An event source mapping with SQS arn (\" arn:aws:sqs:us-east-1:123456789012:jobs \") and function (\" worker \") already exists. Please update or delete the existing mapping with UUID \(first.uuid)")
        ) {
            _ = try await EventSourceMapping.create(source: .queue(queue), function: fn, runtime: h.runtime)
        }
        let onStream = try await EventSourceMapping.create(
            source: .stream(stream), function: fn, configuration: .init(startingPosition: .latest), runtime: h.runtime)
        await #expect(
            throws: AWSError(.resourceConflict, "The event source arn (\" arn:aws:kinesis:us-east-1:123456789012:stream/events \") and function (\" worker \") provided mapping already exists. Please update or delete the existing mapping with UUID \(onStream.uuid)")
        ) {
            _ = try await EventSourceMapping.create(
                source: .stream(stream), function: fn, configuration: .init(startingPosition: .latest), runtime: h.runtime)
        }
        // A UUID given at creation (to resume a stream mapping's checkpoints) names one mapping only.
        let other = try LambdaFunction<JSONValue, JSONValue>(name: "other", runtime: h.runtime) { _, _ in .null }
        await #expect(throws: AWSError(.resourceConflict, "An event source mapping with UUID \(onStream.uuid) already exists")) {
            _ = try await EventSourceMapping.create(
                source: .stream(stream), function: other, configuration: .init(startingPosition: .latest), uuid: onStream.uuid,
                runtime: h.runtime)
        }
        await #expect(throws: AWSError(.invalidParameterValue, "the UUID of an event source mapping must not be empty")) {
            _ = try await EventSourceMapping.create(
                source: .stream(stream), function: other, configuration: .init(startingPosition: .latest), uuid: "", runtime: h.runtime)
        }
        let named = try await EventSourceMapping.create(
            source: .stream(stream), function: other, configuration: .init(startingPosition: .latest), uuid: "events-other",
            runtime: h.runtime)
        #expect(named.uuid == "events-other")
    }

    @Test("update revalidates and keeps the old settings when the change is invalid")
    func update() async throws {
        let h = Harness()
        let queue = try Queue(name: "q", runtime: h.runtime)
        let fn = try LambdaFunction<JSONValue, JSONValue>(name: "fn", runtime: h.runtime) { _, _ in .null }
        let mapping = try await EventSourceMapping.create(source: .queue(queue), function: fn, runtime: h.runtime)
        await #expect(throws: LambdaError.self) { try await mapping.update { $0.batchSize = 50 } }
        #expect(await mapping.configuration.batchSize == nil)
        try await mapping.update {
            $0.batchSize = 50
            $0.maximumBatchingWindowInSeconds = 2
        }
        #expect(await mapping.configuration.batchSize == 50)
    }
}
