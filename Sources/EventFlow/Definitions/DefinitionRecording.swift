import Foundation

extension EventFlowRuntime {
    /// Saves a resource's definition in the storage (replacing the one of the same kind and
    /// key), or throws an error naming the resource and why it could not be stored.
    nonisolated func saveDefinition<D: Encodable>(_ kind: DefinitionKind, key: String, _ definition: D) throws(AWSError) {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = String(decoding: try encoder.encode(definition), as: UTF8.self)
            try storage.definitions.save(StoredDefinition(kind: kind, key: key, body: body))
        } catch {
            throw AWSError(.internalFailure, "could not store the definition of \(kind.label) \(key): \(error)")
        }
    }

    /// Removes a deleted resource's definition, or throws an error naming it.
    nonisolated func removeDefinition(_ kind: DefinitionKind, key: String) throws(AWSError) {
        do { try storage.definitions.remove(kind: kind, key: key) } catch {
            throw AWSError(.internalFailure, "could not remove the stored definition of \(kind.label) \(key): \(error)")
        }
    }

    /// The stored definition's settings, or why they cannot be read.
    nonisolated func decode<D: Decodable>(_ type: D.Type, _ stored: StoredDefinition) throws(DefinitionWait) -> D {
        do { return try JSONDecoder().decode(D.self, from: Data(stored.body.utf8)) } catch {
            throw DefinitionWait(description: "cannot be read (\(error)); it stays stored as it is")
        }
    }
}

extension EventFlowRuntime {
    /// The label of the DynamoDB stream of `table` stored in its definition, if there is one: a
    /// stream created again on the same storage keeps its ARN. A definition that cannot be read
    /// gives none (the stream gets a new label; `restore()` reports the unreadable definition).
    nonisolated func storedStreamLabel(_ table: String) -> String? {
        guard let stored = try? storage.definitions.definitions().first(where: { $0.kind == .stream && $0.key == table }),
            let definition = try? decode(StreamDefinition.self, stored), definition.kind == "dynamodb"
        else { return nil }
        return definition.label
    }
}
