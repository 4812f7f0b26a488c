import Synchronization

/// Definitions in a dictionary: lost with the process, like everything in `InMemoryStorage`.
public final class InMemoryDefinitionStore: DefinitionStore {
    private let stored = Mutex<[DefinitionKind: [String: String]]>([:])

    public init() {}

    public func save(_ definition: StoredDefinition) {
        stored.withLock { $0[definition.kind, default: [:]][definition.key] = definition.body }
    }

    public func remove(kind: DefinitionKind, key: String) {
        stored.withLock { _ = $0[kind]?.removeValue(forKey: key) }
    }

    public func definitions() -> [StoredDefinition] {
        stored.withLock { all in
            DefinitionKind.allCases.flatMap { kind in
                (all[kind] ?? [:]).sorted { $0.key < $1.key }.map { StoredDefinition(kind: kind, key: $0.key, body: $0.value) }
            }
        }
    }
}
