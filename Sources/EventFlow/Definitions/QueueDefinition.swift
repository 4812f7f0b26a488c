/// A queue's stored settings. Its redrive policy names the dead-letter queue, itself stored.
struct QueueDefinition: Codable, Equatable, Sendable {
    struct Redrive: Codable, Equatable, Sendable {
        var deadLetterQueue: String
        var maxReceiveCount: Int
    }

    var name: String
    var maxMessageBytes: Int
    var visibilityTimeout: Duration
    var messageRetentionPeriod: Duration
    var redrivePolicy: Redrive?
}

/// A stream's stored settings (its records are in the storage's stream store).
struct StreamDefinition: Codable, Equatable, Sendable {
    /// "kinesis" or "dynamodb".
    var kind: String
    var name: String
    var shardCount: Int
    var retentionPeriod: Duration
    /// DynamoDB: the stream label its ARN ends in (nil in definitions stored before labels were).
    var label: String? = nil
}

/// A bus's stored settings (its rules are definitions of their own). The default bus is never
/// stored: every runtime has it.
struct BusDefinition: Codable, Equatable, Sendable {
    var name: String
    var maxRequestBytes: Int
}
