import EventFlow
import GRDB

/// Resources' definitions in `resource_definition`, one row per kind and key, each write its
/// own transaction (definitions change rarely: on create, update and delete).
struct SQLiteDefinitionStore: DefinitionStore {
    let database: DatabasePool

    func save(_ definition: StoredDefinition) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO resource_definition (kind, key, body) VALUES (?, ?, ?)
                    ON CONFLICT (kind, key) DO UPDATE SET body = excluded.body
                    """, arguments: [definition.kind.rawValue, definition.key, definition.body])
        }
    }

    func remove(kind: DefinitionKind, key: String) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM resource_definition WHERE kind = ? AND key = ?", arguments: [kind.rawValue, key])
        }
    }

    func definitions() throws -> [StoredDefinition] {
        let rows = try database.read { db in try Row.fetchAll(db, sql: "SELECT kind, key, body FROM resource_definition") }
        var out: [StoredDefinition] = []
        for row in rows {
            let kindText: String = row["kind"]
            guard let kind = DefinitionKind(rawValue: kindText) else {
                throw SQLiteDefinitionError.unknownKind(kindText, key: row["key"])
            }
            out.append(StoredDefinition(kind: kind, key: row["key"], body: row["body"]))
        }
        let order = Dictionary(uniqueKeysWithValues: DefinitionKind.allCases.enumerated().map { ($1, $0) })
        return out.sorted { (order[$0.kind]!, $0.key) < (order[$1.kind]!, $1.key) }
    }
}

/// A row of `resource_definition` this version cannot read.
enum SQLiteDefinitionError: Error, CustomStringConvertible {
    case unknownKind(String, key: String)

    var description: String {
        switch self {
        case .unknownKind(let kind, let key):
            return "the stored definition \(key) has the kind \"\(kind)\", which this version of EventFlow does not know"
        }
    }
}
