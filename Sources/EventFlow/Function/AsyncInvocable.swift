import EventPatterns

/// Something that can be invoked asynchronously with a JSON payload: a Lambda-style function
/// as a destination, a rule target or a topic subscriber.
public protocol AsyncInvocable: Sendable {
    /// The unqualified ARN.
    var functionArn: String { get }
    /// Queues an `Event` invocation; the outcome is recorded by the function itself. Throws when
    /// the invocation is refused (a payload over the limit).
    func invokeAsynchronously(_ payload: JSONValue) async throws(AWSError)
}
