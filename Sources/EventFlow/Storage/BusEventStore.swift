/// An event a bus accepted, kept until it has been routed to its rules' targets.
public struct StoredBusEvent: Sendable, Equatable {
    public var bus: String
    /// The event's `id` (PutEvents' EventId).
    public var id: String
    /// The whole EventBridge envelope.
    public var event: JSONValue

    public init(bus: String, id: String, event: JSONValue) {
        self.bus = bus
        self.id = id
        self.event = event
    }
}

/// Where buses keep the events they accepted and have not routed yet: PutEvents answers
/// "accepted" only once its events are stored, and a bus removes each once every target of
/// every matching rule has been given it. After a restart the events still stored are routed
/// again (`EventFlowRuntime.resumeStoredWork()`): at least once to resource targets.
public protocol BusEventStore: Sendable {
    /// Stores the events of one PutEvents request (or a forwarded event) in one transaction; an
    /// event already stored (a forwarded event delivered again) is kept once.
    nonisolated(nonsending) func accept(_ events: [StoredBusEvent]) async throws
    /// Removes an event once it has been routed.
    nonisolated(nonsending) func routed(bus: String, id: String) async throws
    /// The bus's stored events, in the order they were accepted.
    func pending(bus: String) throws -> [StoredBusEvent]
    /// The buses that have stored events.
    func busesWithPending() throws -> [String]
}
