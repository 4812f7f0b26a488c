import Foundation
import Synchronization

/// One step in the life of an event, a message or an invocation, as the runtime saw it.
public struct Activity: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A bus accepted an event, a queue a message, a topic a publication, a function an
        /// asynchronous invocation.
        case accepted
        /// A rule matched an event (`rule` is its name).
        case matched
        /// Something was handed to a target or destination (`target` is its ARN).
        case delivered
        /// A delivery was refused (`reason` says why). Rule targets retry as their `RetryPolicy`
        /// says (one entry per attempt); anything else is not retried.
        case deliveryFailed
        /// A delivered value could not be decoded for a typed source or handler (`reason`).
        case decodeFailed
        /// A function attempt ran (`attempt`, `result`: "Success", "Handled", "Unhandled").
        case attempt
        /// An asynchronous invocation found no concurrency left and waits in the function's queue.
        case throttled
        /// An asynchronous invocation ended (`result` is the condition).
        case outcome
        /// Something ended with nowhere to go (`reason`).
        case dropped
        /// The runtime's storage refused a change (`reason`); nothing was changed.
        case storageFailed
    }

    public var at: Date
    public var kind: Kind
    /// The ARN of the resource that did it (bus, rule, queue, topic, function).
    public var resource: String
    /// The event id, message id or request id the step is about.
    public var id: String
    public var rule: String?
    public var target: String?
    public var attempt: Int?
    public var result: String?
    public var reason: String?

    public init(
        at: Date, kind: Kind, resource: String, id: String, rule: String? = nil, target: String? = nil, attempt: Int? = nil,
        result: String? = nil, reason: String? = nil
    ) {
        self.at = at
        self.kind = kind
        self.resource = resource
        self.id = id
        self.rule = rule
        self.target = target
        self.attempt = attempt
        self.result = result
        self.reason = reason
    }

    public var description: String {
        var parts = [AWSTime.milliseconds(at), kind.rawValue, resource, id]
        if let rule { parts.append("rule=\(rule)") }
        if let target { parts.append("target=\(target)") }
        if let attempt { parts.append("attempt=\(attempt)") }
        if let result { parts.append("result=\(result)") }
        if let reason { parts.append("reason=\(reason)") }
        return parts.joined(separator: " ")
    }
}

/// The runtime's activity log: the latest steps (10,000 by default) for queries in tests, and a
/// live `AsyncSequence` of every step.
public final class ActivityLog: Sendable {
    private let history: Mutex<History<Activity>>

    init(capacity: Int) { history = Mutex(History(capacity: capacity)) }

    /// Moves `activity` into the history (no copy of its strings).
    func record(_ activity: consuming Activity) {
        var step: Activity? = activity
        history.withLock { $0.append(step.take()!) }
    }

    /// The steps kept, oldest first.
    public var entries: [Activity] { history.withLock { $0.elements } }

    /// The steps kept about one event, message or request id, oldest first.
    public func entries(for id: String) -> [Activity] { entries.filter { $0.id == id } }

    public func entries(_ kind: Activity.Kind) -> [Activity] { entries.filter { $0.kind == kind } }

    /// Steps recorded since the log started, kept or not.
    public var totalCount: Int { history.withLock { $0.totalCount } }

    public var capacity: Int { history.withLock { $0.capacity } }
    public func setCapacity(_ n: Int) { history.withLock { $0.setCapacity(n) } }

    /// Every step recorded from now on.
    public func stream() -> AsyncStream<Activity> {
        history.withLock { h in
            h.makeStream { [weak self] id in self?.history.withLock { $0.removeStream(id) } }
        }
    }
}
