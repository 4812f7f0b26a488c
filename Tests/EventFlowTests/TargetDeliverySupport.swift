import EventFlow
import Synchronization

/// A rule target standing in for a function: refuses its first `failures` invocations with
/// `error` and notes, on the runtime's clock, when each invocation came.
final class FlakyTarget: AsyncInvocable {
    let functionArn: String
    private let runtime: EventFlowRuntime
    private let error: AWSError
    private let state: Mutex<(calls: [Duration], failures: Int)>

    init(_ name: String, runtime: EventFlowRuntime, failures: Int = .max, error: AWSError = AWSError(.tooManyRequests, "Rate Exceeded.")) {
        functionArn = "arn:aws:lambda:us-east-1:123456789012:function:\(name)"
        self.runtime = runtime
        self.error = error
        state = Mutex(([], failures))
    }

    func invokeAsynchronously(_ payload: JSONValue) async throws(AWSError) {
        let now = runtime.clock.now
        let fail = state.withLock { s in
            s.calls.append(now)
            guard s.failures > 0 else { return false }
            s.failures -= 1
            return true
        }
        if fail { throw error }
    }

    /// When each invocation came, in whole milliseconds from the runtime's start.
    var calls: [Int64] { state.withLock { $0.calls.map(\.milliseconds) } }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}

extension Queue.Message {
    /// The attributes as "NAME=value" lines, sorted, for exact comparisons.
    var attributeLines: [String] { attributes.map { "\($0.key)=\($0.value.stringValue)" }.sorted() }
}
