import EventPatterns

/// How one accepted asynchronous invocation ended: exactly one per accepted event (per
/// delivery, when duplicate deliveries are injected).
public struct AsyncOutcome: Sendable {
    public var requestId: String
    /// "Success", "RetriesExhausted", "EventAgeExceeded" or "ZeroReservedConcurrency".
    public var condition: String
    /// The invocation record, exactly as destinations receive it.
    public var record: JSONValue
    /// Whether the destination (if any) accepted the record.
    public var destinationDelivered: Bool?
    /// Whether the dead-letter queue (if any) accepted the event.
    public var deadLetterDelivered: Bool?

    public init(
        requestId: String, condition: String, record: JSONValue, destinationDelivered: Bool? = nil, deadLetterDelivered: Bool? = nil
    ) {
        self.requestId = requestId
        self.condition = condition
        self.record = record
        self.destinationDelivered = destinationDelivered
        self.deadLetterDelivered = deadLetterDelivered
    }
}
