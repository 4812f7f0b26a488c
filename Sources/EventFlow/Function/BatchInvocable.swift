import EventPatterns

/// Something an event source mapping can invoke synchronously with a batch.
public protocol BatchInvocable: Sendable {
    /// The unqualified ARN.
    var functionArn: String { get }
    var name: String { get }
    func invokeForMapping(_ payload: JSONValue) async -> MappingInvocation
}

/// The result of one synchronous batch invocation.
public enum MappingInvocation: Sendable, Equatable {
    /// The function returned (its response, `null` for none).
    case response(JSONValue, requestId: String)
    /// The function threw: the error object Lambda returns, and its message.
    case functionError(JSONValue, requestId: String, message: String)
    /// No concurrency was left (reserved concurrency exhausted or zero).
    case throttled(requestId: String)

    var requestId: String {
        switch self {
        case .response(_, let id), .functionError(_, let id, _), .throttled(let id): return id
        }
    }
}
