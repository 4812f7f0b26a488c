import EventPatterns
import Foundation

/// Where a mapping reads from.
public enum MappingSource: Sendable {
    case queue(Queue)
    case stream(DataStream)

    public var arn: String {
        switch self {
        case .queue(let q): return q.arn
        case .stream(let s): return s.arn
        }
    }

    var isQueue: Bool {
        if case .queue = self { return true }
        return false
    }

    /// Kinesis or DynamoDB for a stream; nil for a queue.
    var streamKind: DataStream.Kind? {
        if case .stream(let s) = self { return s.kind }
        return nil
    }
}

/// Where a stream mapping sends the record of a batch it gives up on: a queue or a topic, the
/// same choice as a function's dead-letter target.
public typealias MappingFailureDestination = DeadLetterTarget

/// Where a stream mapping starts reading.
public enum StartingPosition: Sendable, Equatable, Codable {
    case trimHorizon
    case latest
    /// Kinesis only: the first record that arrived at or after this date.
    case atTimestamp(Date)
}

/// The settings of `CreateEventSourceMapping` / `UpdateEventSourceMapping`. A nil setting takes
/// AWS's default for the source type.
public struct EventSourceMappingConfiguration: Sendable {
    /// SQS: 1...10,000, default 10. Streams: 1...10,000, default 100.
    public var batchSize: Int?
    /// 0...300 seconds, default 0. A batch size over 10 needs at least 1.
    public var maximumBatchingWindowInSeconds: Int?
    public var enabled: Bool
    /// `FilterCriteria.Filters[].Pattern`: up to 5 patterns (JSON text); a record is delivered
    /// when it matches any of them.
    public var filters: [String]
    /// Set to true for `FunctionResponseTypes: ["ReportBatchItemFailures"]`.
    public var reportBatchItemFailures: Bool
    // Streams only.
    public var startingPosition: StartingPosition?
    public var bisectBatchOnFunctionError: Bool?
    /// -1 (retry until the record expires) or 0...10,000; default -1.
    public var maximumRetryAttempts: Int?
    /// -1 (until the record expires) or 60...604,800; default -1.
    public var maximumRecordAgeInSeconds: Int?
    /// 1...10 concurrent batches per shard, default 1.
    public var parallelizationFactor: Int?
    public var onFailure: MappingFailureDestination?

    public init(
        batchSize: Int? = nil, maximumBatchingWindowInSeconds: Int? = nil, enabled: Bool = true, filters: [String] = [],
        reportBatchItemFailures: Bool = false, startingPosition: StartingPosition? = nil,
        bisectBatchOnFunctionError: Bool? = nil, maximumRetryAttempts: Int? = nil, maximumRecordAgeInSeconds: Int? = nil,
        parallelizationFactor: Int? = nil, onFailure: MappingFailureDestination? = nil
    ) {
        self.batchSize = batchSize
        self.maximumBatchingWindowInSeconds = maximumBatchingWindowInSeconds
        self.enabled = enabled
        self.filters = filters
        self.reportBatchItemFailures = reportBatchItemFailures
        self.startingPosition = startingPosition
        self.bisectBatchOnFunctionError = bisectBatchOnFunctionError
        self.maximumRetryAttempts = maximumRetryAttempts
        self.maximumRecordAgeInSeconds = maximumRecordAgeInSeconds
        self.parallelizationFactor = parallelizationFactor
        self.onFailure = onFailure
    }

    /// The largest number of filters per mapping (Lambda's default quota; up to 10 on request).
    public static let maximumFilters = 5
}

/// A configuration checked against the source type, with every default filled in.
struct ResolvedMappingSettings: Sendable {
    var batchSize: Int
    var window: Duration
    var enabled: Bool
    var filter: RecordFilter?
    var reportBatchItemFailures: Bool
    var startingPosition: StartingPosition
    var bisect: Bool
    var maximumRetryAttempts: Int
    var maximumRecordAge: Int
    var parallelizationFactor: Int
    var onFailure: MappingFailureDestination?

    /// Validates in the order AWS reports: ranges first (ValidationException), then the rules
    /// that depend on the source (InvalidParameterValueException).
    init(_ c: EventSourceMappingConfiguration, source: MappingSource) throws(LambdaError) {
        let streamKind = source.streamKind
        func range(_ value: Int?, _ field: String, _ low: Int, _ high: Int) throws(LambdaError) {
            guard let value else { return }
            if value < low { throw .validation(String(value), field, "Member must have value greater than or equal to \(low)") }
            if value > high { throw .validation(String(value), field, "Member must have value less than or equal to \(high)") }
        }
        try range(c.batchSize, "batchSize", 1, 10_000)
        try range(c.maximumBatchingWindowInSeconds, "maximumBatchingWindowInSeconds", 0, 300)
        try range(c.maximumRetryAttempts, "maximumRetryAttempts", -1, 10_000)
        try range(c.maximumRecordAgeInSeconds, "maximumRecordAgeInSeconds", -1, 604_800)
        try range(c.parallelizationFactor, "parallelizationFactor", 1, 10)

        let isQueue = source.isQueue
        if isQueue {
            func unsupported(_ parameter: String, _ present: Bool) throws(LambdaError) {
                if present {
                    throw .invalidParameter("Unsupported \(parameter) parameter for given event source mapping type.")
                }
            }
            try unsupported("DestinationConfig", c.onFailure != nil)
            try unsupported("BisectBatchOnFunctionError", c.bisectBatchOnFunctionError != nil)
            try unsupported("MaximumRetryAttempts", c.maximumRetryAttempts != nil)
            try unsupported("MaximumRecordAgeInSeconds", c.maximumRecordAgeInSeconds != nil)
            try unsupported("ParallelizationFactor", c.parallelizationFactor != nil)
            if c.startingPosition != nil {
                throw .invalidParameter("Unsupported starting position for SQS event source mappings.")
            }
        } else {
            guard let position = c.startingPosition else {
                throw .invalidParameter("StartingPosition is required for stream event sources.")
            }
            if case .atTimestamp = position, streamKind == .dynamodb {
                throw .invalidParameter("Unsupported starting position AT_TIMESTAMP for DynamoDB stream event sources.")
            }
            if let age = c.maximumRecordAgeInSeconds, age != -1, age < 60 {
                throw .invalidParameter("MaximumRecordAgeInSeconds must be -1 or between 60 and 604800.")
            }
        }
        let batchSize = c.batchSize ?? (isQueue ? 10 : 100)
        let window = c.maximumBatchingWindowInSeconds ?? 0
        if isQueue && batchSize > 10 && window == 0 {
            throw .invalidParameter(
                "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
        }
        if c.filters.count > EventSourceMappingConfiguration.maximumFilters {
            throw .invalidParameter(
                "The number of filters (\(c.filters.count)) exceeds the maximum of \(EventSourceMappingConfiguration.maximumFilters).")
        }
        self.batchSize = batchSize
        self.window = .seconds(window)
        self.enabled = c.enabled
        self.filter = c.filters.isEmpty ? nil : try RecordFilter(patterns: c.filters, source: streamKind.map(RecordFilter.Source.init) ?? .sqs)
        self.reportBatchItemFailures = c.reportBatchItemFailures
        self.startingPosition = c.startingPosition ?? .trimHorizon
        self.bisect = c.bisectBatchOnFunctionError ?? false
        self.maximumRetryAttempts = c.maximumRetryAttempts ?? -1
        self.maximumRecordAge = c.maximumRecordAgeInSeconds ?? -1
        self.parallelizationFactor = c.parallelizationFactor ?? 1
        self.onFailure = c.onFailure
    }
}
