/// A function's event invoke config for one qualifier, as stored: the function by name (its
/// handler is code, registered by the program), destinations by the resource they name.
struct InvokeConfigDefinition: Codable, Equatable, Sendable {
    struct StoredDestination: Codable, Equatable, Sendable {
        var resource: DefinitionReference
        /// Only for a function destination (see `Destination.function`).
        var responseOnly: Bool
    }

    var function: String
    var qualifier: String
    var maximumRetryAttempts: Int?
    var maximumEventAgeInSeconds: Int?
    var onSuccess: StoredDestination?
    var onFailure: StoredDestination?

    static func key(function: String, qualifier: String) -> String { "\(function):\(qualifier)" }

    init(function: String, qualifier: String, config: EventInvokeConfig) {
        self.function = function
        self.qualifier = qualifier
        self.maximumRetryAttempts = config.maximumRetryAttempts
        self.maximumEventAgeInSeconds = config.maximumEventAgeInSeconds
        self.onSuccess = config.onSuccess.map(StoredDestination.init)
        self.onFailure = config.onFailure.map(StoredDestination.init)
    }

    /// The config with its destinations resolved; a wait when one of them is not registered.
    func config(in runtime: EventFlowRuntime) throws(DefinitionWait) -> EventInvokeConfig {
        EventInvokeConfig(
            maximumRetryAttempts: maximumRetryAttempts, maximumEventAgeInSeconds: maximumEventAgeInSeconds,
            onSuccess: try onSuccess?.destination(in: runtime), onFailure: try onFailure?.destination(in: runtime))
    }
}

extension InvokeConfigDefinition.StoredDestination {
    init(_ destination: Destination) {
        switch destination {
        case .queue(let q): self.init(resource: DefinitionReference(kind: .queue, name: q.name), responseOnly: false)
        case .topic(let t): self.init(resource: DefinitionReference(kind: .topic, name: t.name), responseOnly: false)
        case .bus(let b): self.init(resource: DefinitionReference(kind: .bus, name: b.name), responseOnly: false)
        case .function(let f, let responseOnly): self.init(resource: .function(arn: f.functionArn), responseOnly: responseOnly)
        }
    }

    func destination(in runtime: EventFlowRuntime) throws(DefinitionWait) -> Destination {
        switch resource.kind {
        case .queue: return .queue(try runtime.resolve(resource))
        case .topic: return .topic(try runtime.resolve(resource))
        case .bus: return .bus(try runtime.resolve(resource))
        case .function: return .function(try runtime.resolve(resource, as: (any AsyncInvocable).self), responseOnly: responseOnly)
        case .stream: throw DefinitionWait(description: "names \(resource) as a destination, which Lambda does not support")
        }
    }
}
