/// The size limits and history capacities a runtime gives its resources by default; each
/// resource can be given its own when it is made.
public struct RuntimeLimits: Sendable, Equatable {
    /// Largest `Event` (asynchronous) invocation payload: 1 MB since 29 January 2026.
    public var maxAsyncPayloadBytes: Int
    /// Largest synchronous (`RequestResponse`) request and response: 6 MB.
    public var maxSyncPayloadBytes: Int
    /// Largest SQS message, body plus attributes: 1 MB since 29 January 2026.
    public var maxQueueMessageBytes: Int
    /// Largest PutEvents request (the entries' sizes added up): 1 MB since 29 January 2026.
    public var maxPutEventsBytes: Int
    /// How many outcomes, accepted events and published messages each resource keeps for
    /// inspection (streams of them see everything).
    public var historyCapacity: Int
    /// How many steps the runtime's activity log keeps.
    public var activityCapacity: Int

    public static let oneMegabyte = 1_048_576
    public static let sixMegabytes = 6_291_456

    public init(
        maxAsyncPayloadBytes: Int = RuntimeLimits.oneMegabyte, maxSyncPayloadBytes: Int = RuntimeLimits.sixMegabytes,
        maxQueueMessageBytes: Int = RuntimeLimits.oneMegabyte, maxPutEventsBytes: Int = RuntimeLimits.oneMegabyte,
        historyCapacity: Int = 10_000, activityCapacity: Int = 10_000
    ) {
        self.maxAsyncPayloadBytes = maxAsyncPayloadBytes
        self.maxSyncPayloadBytes = maxSyncPayloadBytes
        self.maxQueueMessageBytes = maxQueueMessageBytes
        self.maxPutEventsBytes = maxPutEventsBytes
        self.historyCapacity = historyCapacity
        self.activityCapacity = activityCapacity
    }
}
