/// Another resource a definition refers to (a rule's target, a destination, a mapping's source),
/// by kind and name: resolved through the runtime's registry at restore (names are what the
/// registry and the stored definitions are keyed by).
struct DefinitionReference: Codable, Equatable, Sendable, CustomStringConvertible {
    var kind: ResourceRegistry.Kind
    var name: String

    var description: String { "\(kind.label) \(name)" }

    static func function(arn: String) -> DefinitionReference {
        DefinitionReference(kind: .function, name: arn.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? arn)
    }
}

extension ResourceRegistry.Kind: Codable {
    /// How errors and logs name a resource of this kind.
    var label: String {
        switch self {
        case .bus: return "event bus"
        case .queue: return "queue"
        case .topic: return "topic"
        case .function: return "function"
        case .stream: return "stream"
        }
    }
}

/// Why a stored definition could not be applied yet: what it refers to is not registered (a
/// function is code, registered by the program), or it could not be applied at all.
struct DefinitionWait: Error, Sendable, CustomStringConvertible {
    var description: String

    static func missing(_ reference: DefinitionReference) -> DefinitionWait {
        DefinitionWait(description: "waits for \(reference) to be registered")
    }
}

extension EventFlowRuntime {
    /// The registered resource a reference names, as `R`; a `DefinitionWait` when there is none.
    nonisolated func resolve<R>(_ reference: DefinitionReference, as type: R.Type = R.self) throws(DefinitionWait) -> R {
        let found: R? =
            reference.kind == .bus && reference.name == "default"
            ? EventBus.default(self) as? R : registry.lookup(reference.kind, name: reference.name)
        guard let found else { throw .missing(reference) }
        return found
    }
}
