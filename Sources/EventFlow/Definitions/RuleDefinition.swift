import EventPatterns

/// A rule's stored definition: its pattern as JSON text, description, state and its targets
/// that are resources (with their input, retry policy and dead-letter queue).
/// Closure targets (`Target.Kind.handler`) are code: only their ids are kept, so that restore
/// can say which ones the program must put again.
struct RuleDefinition: Codable, Equatable, Sendable {
    struct TargetDefinition: Codable, Equatable, Sendable {
        var id: String
        var resource: DefinitionReference
        var input: StoredTargetInput
        /// Absent when it is EventBridge's default (and in definitions stored before targets had one).
        var retryPolicy: Target.RetryPolicy?
        /// The dead-letter queue's name.
        var deadLetterQueue: String?

        /// The target, its resources resolved in `runtime` (a missing one waits).
        func target(in runtime: EventFlowRuntime) throws(DefinitionWait) -> Target {
            let dlq: Queue? = try deadLetterQueue.map { name throws(DefinitionWait) in
                try runtime.resolve(DefinitionReference(kind: .queue, name: name))
            }
            return Target(
                id: id, try runtime.targetKind(resource), input: try input.input(), retryPolicy: retryPolicy ?? Target.RetryPolicy(),
                deadLetterConfig: dlq.map(Target.DeadLetterConfig.init))
        }
    }

    var bus: String
    var name: String
    var pattern: String
    var targets: [TargetDefinition]
    var closureTargetIds: [String]
    var description: String?
    var state: RuleState

    static func key(bus: String, rule: String) -> String { "\(bus)/\(rule)" }

    init(bus: String, rule: Rule) {
        self.bus = bus
        self.name = rule.name
        self.pattern = rule.pattern.json.jsonText
        self.description = rule.description
        self.state = rule.state
        var targets: [TargetDefinition] = []
        var closures: [String] = []
        for t in rule.targets {
            if let resource = t.kind.reference {
                targets.append(
                    TargetDefinition(
                        id: t.id, resource: resource, input: StoredTargetInput(t.input),
                        retryPolicy: t.retryPolicy == Target.RetryPolicy() ? nil : t.retryPolicy,
                        deadLetterQueue: t.deadLetterConfig?.queue.name))
            } else {
                closures.append(t.id)
            }
        }
        self.targets = targets
        self.closureTargetIds = closures
    }
}

/// `TargetInput` as stored: a constant as its JSON text.
enum StoredTargetInput: Codable, Equatable, Sendable {
    case event
    case constant(String)
    case path(String)
    case transformer(pathsMap: [String: String], template: String)

    init(_ input: TargetInput) {
        switch input {
        case .event: self = .event
        case .constant(let v): self = .constant(v.jsonText)
        case .path(let p): self = .path(p)
        case .transformer(let paths, let template): self = .transformer(pathsMap: paths, template: template)
        }
    }

    func input() throws(DefinitionWait) -> TargetInput {
        switch self {
        case .event: return .event
        case .constant(let text):
            do { return .constant(try JSONParser.parse(text)) } catch {
                throw DefinitionWait(description: "has a constant Input that is not JSON: \(error)")
            }
        case .path(let p): return .path(p)
        case .transformer(let paths, let template): return .transformer(pathsMap: paths, template: template)
        }
    }
}

extension Target.Kind {
    /// The resource this target is, or nil for a closure.
    var reference: DefinitionReference? {
        switch self {
        case .function(let f): return .function(arn: f.functionArn)
        case .queue(let q): return DefinitionReference(kind: .queue, name: q.name)
        case .topic(let t): return DefinitionReference(kind: .topic, name: t.name)
        case .bus(let b): return DefinitionReference(kind: .bus, name: b.name)
        case .handler: return nil
        }
    }
}
