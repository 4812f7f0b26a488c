import EventPatterns
import Logging
import Metrics

/// Where the runtime hands something over: a rule target, a destination, a dead-letter target,
/// a topic subscriber or a typed source's closure.
public enum DeliveryTarget: Sendable {
    case queue(Queue)
    case topic(Topic)
    /// Invoked asynchronously (`Event`).
    case function(any AsyncInvocable)
    case bus(EventBus)
    /// A closure; a thrown `DecodingFailure` is recorded as a failed decode, any other error as a
    /// failed delivery.
    case handler(@Sendable (JSONValue) async throws -> Void)

    public var arn: String {
        switch self {
        case .queue(let q): return q.arn
        case .topic(let t): return t.arn
        case .function(let f): return f.functionArn
        case .bus(let b): return b.arn
        case .handler: return "handler"
        }
    }
}

/// A value a typed source or handler could not decode into the type it asked for.
public struct DecodingFailure: Error, Sendable, CustomStringConvertible {
    public var type: String
    public var reason: String
    public var description: String { "could not decode \(type): \(reason)" }
}

/// Why a target refused a delivery.
struct DeliveryFailure: Sendable, Error {
    var reason: String
    var isSize = false
    var decode = false
    /// The target's AWS error, if it threw one.
    var code: AWSError.Code?
}

/// One thing to hand over, and how.
struct Delivery: Sendable {
    enum Body: Sendable {
        case text(String)
        case json(JSONValue)

        var text: String {
            switch self {
            case .text(let s): return s
            // EventBridge sends a string input as its text, not as a JSON string.
            case .json(.string(let s)): return s
            case .json(let v): return v.jsonText
            }
        }

        var json: JSONValue {
            switch self {
            case .json(let v): return v
            case .text(let s): return (try? JSONParser.parse(s)) ?? .string(s)
            }
        }
    }

    /// How a record goes onto a bus as a new event (Lambda's destination events).
    struct BusEntry: Sendable {
        var source: String
        var detailType: String
        var resources: [String]
    }

    var body: Body
    var attributes: [String: Queue.Attribute] = [:]
    /// Set for records that become new events on a bus; nil forwards an event unchanged.
    var busEntry: BusEntry?
    /// A smaller form sent when the target refuses the first as too large (a record without its
    /// payloads: "Lambda will drop the payload").
    var fallback: Body?

    init(_ body: Body, attributes: [String: Queue.Attribute] = [:], busEntry: BusEntry? = nil, fallback: Body? = nil) {
        self.body = body
        self.attributes = attributes
        self.busEntry = busEntry
        self.fallback = fallback
    }
}

extension EventFlowRuntime {
    /// Hands `delivery` to `target`: the one place where deliveries happen, so every refusal is
    /// treated alike — logged with its reason, counted (`DeliveryFailures` by source and target)
    /// and recorded in the activity log. Returns whether the target accepted it.
    nonisolated func deliver(
        _ delivery: Delivery, to target: DeliveryTarget, from source: String, id: String, rule: String? = nil
    ) async -> Bool {
        guard let failure = await handOver(delivery, to: target) else {
            record(.delivered, resource: source, id: id, rule: rule, target: target.arn)
            return true
        }
        reportDeliveryFailure(from: source, to: target.arn, id: id, rule: rule, reason: failure.reason, decode: failure.decode)
        return false
    }

    /// Logs, counts (`DeliveryFailures` or `DecodeFailures` by source and target) and records a
    /// refused delivery or failed decode.
    nonisolated func reportDeliveryFailure(
        from source: String, to target: String, id: String, rule: String? = nil, reason: String, decode: Bool = false
    ) {
        record(decode ? .decodeFailed : .deliveryFailed, resource: source, id: id, rule: rule, target: target, reason: reason)
        Counter(label: decode ? "DecodeFailures" : "DeliveryFailures", dimensions: [("Source", source), ("Target", target)], factory: metrics)
            .increment()
        var metadata: Logger.Metadata = ["source": "\(source)", "target": "\(target)", "id": "\(id)"]
        if let rule { metadata["rule"] = "\(rule)" }
        logger.warning("\(decode ? "decode" : "delivery") failed: \(reason)", metadata: metadata)
    }

    /// Hands `delivery` to `target` (its fallback too, if the first is too large) without
    /// reporting anything: the failure, if the target refused it.
    nonisolated func handOver(_ delivery: Delivery, to target: DeliveryTarget) async -> DeliveryFailure? {
        var failure = await attempt(delivery.body, delivery, to: target)
        if let f = failure, f.isSize, let fallback = delivery.fallback {
            failure = await attempt(fallback, delivery, to: target)
        }
        return failure
    }

    private nonisolated func attempt(_ body: Delivery.Body, _ delivery: Delivery, to target: DeliveryTarget) async -> DeliveryFailure? {
        do throws(any Error) {
            switch target {
            case .queue(let q):
                try await q.send(body.text, attributes: delivery.attributes)
            case .topic(let t):
                await t.publish(body.text, attributes: delivery.attributes)
            case .function(let f):
                try await f.invokeAsynchronously(body.json)
            case .bus(let b):
                if let entry = delivery.busEntry {
                    let response = try await b.putEvents([
                        PutEventsEntry(source: entry.source, detailType: entry.detailType, detail: body.text, resources: entry.resources)
                    ])
                    if case .failed(let code, let message) = response.entries.first {
                        return DeliveryFailure(reason: "\(code): \(message)")
                    }
                } else {
                    try await b.acceptForwarded(body.json)
                }
            case .handler(let h):
                try await h(body.json)
            }
            return nil
        } catch let e as AWSError {
            let isSize = e.code == .requestEntityTooLarge || e.code == .sqsInvalidParameterValue
                || (e.code == .validation && e.message.contains("over the limit"))
            return DeliveryFailure(reason: e.description, isSize: isSize, code: e.code)
        } catch let e as DecodingFailure {
            return DeliveryFailure(reason: e.description, decode: true)
        } catch {
            return DeliveryFailure(reason: String(describing: error))
        }
    }

    /// Adds a step to the activity log, stamped with the runtime's current time, and logs it at
    /// debug level with metadata naming the resource and the id (`Activity.logMetadata`).
    nonisolated func record(
        _ kind: Activity.Kind, resource: String, id: String, rule: String? = nil, target: String? = nil, attempt: Int? = nil,
        result: String? = nil, reason: String? = nil
    ) {
        let step = Activity(
            at: clock.date(at: clock.now), kind: kind, resource: resource, id: id, rule: rule, target: target, attempt: attempt,
            result: result, reason: reason)
        guard logger.logLevel <= .debug else { return activity.record(step) }
        let metadata = step.logMetadata
        activity.record(step)
        logger.debug("\(kind.rawValue)", metadata: metadata)
    }
}
