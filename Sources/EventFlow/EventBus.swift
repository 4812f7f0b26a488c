import EventPatterns
import Foundation
import Metrics

/// A named event bus with PutEvents semantics; all its rules share one compiled matcher.
public actor EventBus {
    public nonisolated let name: String
    public nonisolated let arn: String
    nonisolated let runtime: EventFlowRuntime
    private nonisolated let matcher = EventMatcher()
    private var rules: [String: Rule] = [:]

    /// PutEvents' request size limit (256 KB; EventBridge has since raised it to 1 MiB).
    public nonisolated let maxRequestBytes: Int
    public static let maxEntriesPerRequest = 10
    public static let maxTargetsPerRule = 5

    /// Every event accepted, in order (for inspection in tests).
    public private(set) var accepted: [JSONValue] = []
    /// `accepted` keeps at least this many of the latest events (a long-running bus must not
    /// grow without bound); it is trimmed back to this many when it reaches twice as many.
    /// Trimming only shortens the history; routing is unaffected.
    public private(set) var acceptedHistoryLimit = 10_000

    public func setAcceptedHistoryLimit(_ limit: Int) {
        acceptedHistoryLimit = max(0, limit)
        trimHistory()
    }

    private func remember(_ event: JSONValue) {
        accepted.append(event)
        if accepted.count >= 2 * max(acceptedHistoryLimit, 1) { trimHistory() }
    }

    private func trimHistory() {
        if accepted.count > acceptedHistoryLimit { accepted.removeFirst(accepted.count - acceptedHistoryLimit) }
    }
    /// Target deliveries that failed (a queue rejecting the message, for example).
    public private(set) var failedTargetDeliveries = 0

    public init(name: String, runtime: EventFlowRuntime, maxRequestBytes: Int = 262_144) {
        self.name = name
        self.arn = runtime.arn("events", "event-bus/\(name)")
        self.runtime = runtime
        self.maxRequestBytes = maxRequestBytes
    }

    /// The account's default bus.
    public static func `default`(_ runtime: EventFlowRuntime) -> EventBus { EventBus(name: "default", runtime: runtime) }

    // MARK: rules

    /// Creates or replaces a rule.
    public func putRule(_ name: String, pattern: EventPattern, targets: [Target] = []) throws(EventBusError) {
        let validName = !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0)) }
        guard validName else {
            throw EventBusError(
                type: "ValidationException",
                message: "1 validation error detected: Value '\(name)' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")
        }
        try checkTargets(targets)
        matcher.removeRule(name)
        matcher.addRule(name, pattern: pattern)
        rules[name] = Rule(name: name, arn: runtime.arn("events", "rule/\(self.name)/\(name)"), pattern: pattern, targets: targets)
    }

    public func putRule(_ name: String, pattern: String, targets: [Target] = []) throws -> Void {
        try putRule(name, pattern: try EventPattern(pattern), targets: targets)
    }

    /// Adds targets to an existing rule (at most five in all).
    public func putTargets(rule name: String, _ targets: [Target]) throws(EventBusError) {
        guard var rule = rules[name] else {
            throw EventBusError(type: "ResourceNotFoundException", message: "Rule \(name) does not exist on EventBus \(self.name).")
        }
        let merged = rule.targets.filter { t in !targets.contains { $0.id == t.id } } + targets
        try checkTargets(merged)
        rule.targets = merged
        rules[name] = rule
    }

    private func checkTargets(_ targets: [Target]) throws(EventBusError) {
        guard targets.count <= Self.maxTargetsPerRule else {
            throw EventBusError(type: "LimitExceededException", message: "The requested resource exceeds the maximum number allowed.")
        }
        for t in targets {
            if case .bus = t.kind, case .event = t.input {} else if case .bus = t.kind {
                throw EventBusError(type: "ValidationException", message: "Event bus rule target does not support target input.")
            }
        }
    }

    public func removeRule(_ name: String) {
        rules[name] = nil
        matcher.removeRule(name)
    }

    public func rule(_ name: String) -> Rule? { rules[name] }

    // MARK: PutEvents

    public func putEvents(_ entries: [PutEventsEntry]) async throws(EventBusError) -> PutEventsResponse {
        guard entries.count <= Self.maxEntriesPerRequest else {
            throw EventBusError(
                type: "ValidationException",
                message: "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10")
        }
        guard entries.reduce(0, { $0 + $1.size }) <= maxRequestBytes else {
            throw EventBusError(type: "ValidationException", message: "Total size of the entries in the request is over the limit.")
        }
        var results: [PutEventsResponse.Entry] = []
        var failed = 0
        for entry in entries {
            switch envelope(entry) {
            case .success(let event):
                results.append(.accepted(eventId: event["id"]!.stringValue!))
                remember(event)
                await route(event)
            case .failure(let error):
                failed += 1
                results.append(.failed(errorCode: error.type, errorMessage: error.message))
            }
        }
        return PutEventsResponse(failedEntryCount: failed, entries: results)
    }

    /// Builds the EventBridge envelope, or the per-entry error.
    private func envelope(_ entry: PutEventsEntry) -> Result<JSONValue, EventBusError> {
        func missing(_ field: String) -> EventBusError {
            EventBusError(type: "InvalidArgument", message: "Parameter \(field) is not valid. Reason: \(field) is a required argument.")
        }
        guard let source = entry.source, !source.isEmpty else { return .failure(missing("Source")) }
        guard let detailType = entry.detailType, !detailType.isEmpty else { return .failure(missing("DetailType")) }
        guard let detailText = entry.detail, !detailText.isEmpty else { return .failure(missing("Detail")) }
        guard let detail = try? JSONParser.parse(detailText), case .object = detail else {
            return .failure(EventBusError(type: "MalformedDetail", message: "Detail is malformed."))
        }
        let time = entry.time ?? AWSTime.seconds(runtime.clock.date(at: runtime.clock.now))
        return .success([
            "version": "0", "id": .string(runtime.ids.make()), "detail-type": .string(detailType),
            "source": .string(source), "account": .string(runtime.account), "time": .string(time),
            "region": .string(runtime.region), "resources": .array(entry.resources.map { .string($0) }), "detail": detail,
        ])
    }

    /// Sends an accepted event to every target of every matching rule.
    func route(_ event: JSONValue) async {
        for name in matcher.matches(event: event) {
            guard let rule = rules[name] else { continue }
            Counter(label: "MatchedEvents", dimensions: [("RuleName", name)], factory: runtime.metrics).increment()
            for target in rule.targets {
                guard let input = target.input.render(event, ruleName: rule.name, ruleArn: rule.arn) else { continue }
                await deliver(input, event: event, to: target)
            }
        }
    }

    private func deliver(_ input: JSONValue, event: JSONValue, to target: Target) async {
        let text: String
        if case .string(let s) = input { text = s } else { text = input.jsonText }
        switch target.kind {
        case .function(let f): await f.invokeAsynchronously(input)
        case .queue(let q):
            do { try await q.send(text) } catch { failedTargetDeliveries += 1 }
        case .topic(let t): await t.publish(text)
        case .handler(let h): await h(input)
        case .bus(let other):
            guard other !== self else { return }
            await other.acceptForwarded(event)
        }
    }

    /// An event forwarded from another bus: kept as it is and routed here.
    func acceptForwarded(_ event: JSONValue) async {
        remember(event)
        await route(event)
    }
}
