/// What a stored definition describes. Handlers, closure targets and topics are code: they are
/// never stored (see `EventFlowRuntime.restore()`).
public enum DefinitionKind: String, Sendable, CaseIterable, Codable {
    case queue
    case stream
    case bus = "event-bus"
    case rule
    case eventInvokeConfig = "event-invoke-config"
    case eventSourceMapping = "event-source-mapping"

    /// How errors and logs name a resource of this kind.
    public var label: String {
        switch self {
        case .queue: return "queue"
        case .stream: return "stream"
        case .bus: return "event bus"
        case .rule: return "rule"
        case .eventInvokeConfig: return "event invoke config"
        case .eventSourceMapping: return "event source mapping"
        }
    }
}

/// One resource's definition as a store keeps it: its kind, its key within the kind (a queue's
/// name, `bus/rule` for a rule, `function:qualifier` for an event invoke config, a mapping's
/// UUID) and its settings as JSON text, written and read by the runtime.
public struct StoredDefinition: Sendable, Equatable {
    public var kind: DefinitionKind
    public var key: String
    public var body: String

    public init(kind: DefinitionKind, key: String, body: String) {
        self.kind = kind
        self.key = key
        self.body = body
    }
}

/// Where a runtime keeps its resources' definitions: saved on every create and update, removed
/// on delete, read back by `EventFlowRuntime.restore()` at start-up. Each call is atomic.
public protocol DefinitionStore: Sendable {
    /// Adds the definition, or replaces the one of the same kind and key.
    func save(_ definition: StoredDefinition) throws
    /// Removes the definition of this kind and key (nothing when there is none).
    func remove(kind: DefinitionKind, key: String) throws
    /// Every definition, by kind in `DefinitionKind.allCases` order, then by key.
    func definitions() throws -> [StoredDefinition]
}
