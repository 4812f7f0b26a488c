/// Where an asynchronous invocation's record goes on success or failure.
public enum Destination: Sendable {
    case queue(Queue)
    case topic(Topic)
    /// The function is invoked asynchronously with the record. With `responseOnly` it receives
    /// only the record's `responsePayload`, as CDK's `LambdaDestination(fn, {responseOnly: true})`
    /// delivers it (CDK does this through the default bus and a rule; EventFlow delivers directly).
    case function(any AsyncInvocable, responseOnly: Bool = false)
    case bus(EventBus)

    public var arn: String {
        switch self {
        case .queue(let q): return q.arn
        case .topic(let t): return t.arn
        case .function(let f, _): return f.functionArn
        case .bus(let b): return b.arn
        }
    }
}

/// A dead-letter target in the function configuration: a queue or a topic only.
public enum DeadLetterTarget: Sendable {
    case queue(Queue)
    case topic(Topic)

    public var arn: String {
        switch self {
        case .queue(let q): return q.arn
        case .topic(let t): return t.arn
        }
    }
}
