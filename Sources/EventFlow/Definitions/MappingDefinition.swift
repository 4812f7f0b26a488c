import Foundation

/// An event source mapping as stored: its UUID, its source, its function by name (the handler
/// is code) and every setting of its configuration, `Enabled` included.
struct MappingDefinition: Codable, Equatable, Sendable {
    var uuid: String
    var source: DefinitionReference
    var function: String
    var batchSize: Int?
    var maximumBatchingWindowInSeconds: Int?
    var enabled: Bool
    var filters: [String]
    var reportBatchItemFailures: Bool
    var startingPosition: StartingPosition?
    var bisectBatchOnFunctionError: Bool?
    var maximumRetryAttempts: Int?
    var maximumRecordAgeInSeconds: Int?
    var parallelizationFactor: Int?
    var onFailure: DefinitionReference?

    init(uuid: String, source: MappingSource, function: String, configuration c: EventSourceMappingConfiguration) {
        self.uuid = uuid
        switch source {
        case .queue(let q): self.source = DefinitionReference(kind: .queue, name: q.name)
        case .stream(let s): self.source = DefinitionReference(kind: .stream, name: s.name)
        }
        self.function = function
        batchSize = c.batchSize
        maximumBatchingWindowInSeconds = c.maximumBatchingWindowInSeconds
        enabled = c.enabled
        filters = c.filters
        reportBatchItemFailures = c.reportBatchItemFailures
        startingPosition = c.startingPosition
        bisectBatchOnFunctionError = c.bisectBatchOnFunctionError
        maximumRetryAttempts = c.maximumRetryAttempts
        maximumRecordAgeInSeconds = c.maximumRecordAgeInSeconds
        parallelizationFactor = c.parallelizationFactor
        onFailure = c.onFailure.map { d in
            switch d {
            case .queue(let q): return DefinitionReference(kind: .queue, name: q.name)
            case .topic(let t): return DefinitionReference(kind: .topic, name: t.name)
            }
        }
    }

    func mappingSource(in runtime: EventFlowRuntime) throws(DefinitionWait) -> MappingSource {
        switch source.kind {
        case .queue: return .queue(try runtime.resolve(source))
        case .stream: return .stream(try runtime.resolve(source))
        default: throw DefinitionWait(description: "has \(source) as its source, which is neither a queue nor a stream")
        }
    }

    func configuration(in runtime: EventFlowRuntime) throws(DefinitionWait) -> EventSourceMappingConfiguration {
        var failure: MappingFailureDestination?
        if let onFailure {
            switch onFailure.kind {
            case .queue: failure = .queue(try runtime.resolve(onFailure))
            case .topic: failure = .topic(try runtime.resolve(onFailure))
            default: throw DefinitionWait(description: "has \(onFailure) as its on-failure destination, which is neither a queue nor a topic")
            }
        }
        return EventSourceMappingConfiguration(
            batchSize: batchSize, maximumBatchingWindowInSeconds: maximumBatchingWindowInSeconds, enabled: enabled, filters: filters,
            reportBatchItemFailures: reportBatchItemFailures, startingPosition: startingPosition,
            bisectBatchOnFunctionError: bisectBatchOnFunctionError, maximumRetryAttempts: maximumRetryAttempts,
            maximumRecordAgeInSeconds: maximumRecordAgeInSeconds, parallelizationFactor: parallelizationFactor, onFailure: failure)
    }
}
