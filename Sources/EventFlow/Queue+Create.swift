/// The attributes a create request gives, each nil when not given: SQS compares only the
/// attributes a `CreateQueue` request includes with those of the existing queue.
struct QueueAttributeRequest: Sendable {
    var maxMessageBytes: Int?
    var visibilityTimeout: Duration?
    var messageRetentionPeriod: Duration?
    var redrivePolicy: QueueDefinition.Redrive?

    /// The SQS name of the first attribute given that differs from `existing` (in the order SQS
    /// documents its attributes), or nil when every attribute given is the same.
    func firstDifference(from existing: QueueDefinition) -> String? {
        if let v = maxMessageBytes, v != existing.maxMessageBytes { return "MaximumMessageSize" }
        if let v = messageRetentionPeriod, v != existing.messageRetentionPeriod { return "MessageRetentionPeriod" }
        if let v = visibilityTimeout, v != existing.visibilityTimeout { return "VisibilityTimeout" }
        if let v = redrivePolicy, v != existing.redrivePolicy { return "RedrivePolicy" }
        return nil
    }
}

extension QueueAttributeRequest {
    /// Every attribute given, as an initialiser gives them (in an extension, so that the
    /// memberwise initialiser stays).
    init(_ d: QueueDefinition) {
        self.init(
            maxMessageBytes: d.maxMessageBytes, visibilityTimeout: d.visibilityTimeout, messageRetentionPeriod: d.messageRetentionPeriod,
            redrivePolicy: d.redrivePolicy)
    }
}

extension Queue {
    /// SQS `CreateQueue`: the queue named `name`, created when there is none. When the runtime
    /// has it already (created in this process, or by `EventFlowRuntime.restore()`), that same
    /// queue is returned if every attribute given here has its value; an attribute left nil is
    /// not compared, as SQS compares only the attributes a request includes. One that differs is
    /// `QueueAlreadyExists` ("A queue already exists with the same name and a different value
    /// for attribute VisibilityTimeout"), and the existing queue is left as it is.
    public static func create(
        name: String, runtime: EventFlowRuntime, maxMessageBytes: Int? = nil, visibilityTimeout: Duration? = nil,
        messageRetentionPeriod: Duration? = nil, redrivePolicy: RedrivePolicy? = nil
    ) throws(AWSError) -> Queue {
        let request = QueueAttributeRequest(
            maxMessageBytes: maxMessageBytes, visibilityTimeout: visibilityTimeout, messageRetentionPeriod: messageRetentionPeriod,
            redrivePolicy: redrivePolicy.map { .init(deadLetterQueue: $0.deadLetterQueue.name, maxReceiveCount: $0.maxReceiveCount) })
        if let existing = try existing(name, runtime: runtime, request) { return existing }
        do {
            return try Queue(
                name: name, runtime: runtime, maxMessageBytes: maxMessageBytes, visibilityTimeout: visibilityTimeout ?? .seconds(30),
                messageRetentionPeriod: messageRetentionPeriod ?? .seconds(345_600), redrivePolicy: redrivePolicy)
        } catch let error where error.code == .queueAlreadyExists {
            // Another caller created it meanwhile: compare with theirs.
            if let existing = try existing(name, runtime: runtime, request) { return existing }
            throw error
        }
    }

    /// The registered queue named `name` if the request matches it; nil when there is none.
    private static func existing(_ name: String, runtime: EventFlowRuntime, _ request: QueueAttributeRequest) throws(AWSError) -> Queue? {
        guard let queue = runtime.queue(named: name) else { return nil }
        if let attribute = request.firstDifference(from: queue.attributes.withLock { $0 }) { throw differentValue(attribute) }
        return queue
    }

    static func differentValue(_ attribute: String) -> AWSError {
        AWSError(.queueAlreadyExists, "A queue already exists with the same name and a different value for attribute \(attribute)")
    }

    /// The error of an initialiser whose name is taken: SQS's when an attribute differs; when
    /// none does, an initialiser still cannot return the existing queue (two instances would
    /// each have their own waiters and listeners), so the error says what does.
    static func nameTaken(by existing: Queue?, requested: QueueAttributeRequest, orElse error: AWSError) -> AWSError {
        guard let existing else { return error }
        if let attribute = requested.firstDifference(from: existing.attributes.withLock { $0 }) { return differentValue(attribute) }
        return AWSError(
            .queueAlreadyExists,
            "Queue \(existing.name) already exists with the same attributes; Queue.create(name:runtime:) returns it "
                + "(an initialiser always makes a new queue)")
    }
}
