import EventPatterns
import Foundation

/// Converts between `Codable` values and `JSONValue`. Keys are sorted: Foundation's encoder
/// does not keep declaration order, and records must be byte-for-byte reproducible.
enum JSONBridge {
    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let data = try encoder.encode(value)
        return try JSONParser.parse(bytes: Array(data))
    }

    static func decode<T: Decodable>(_ type: T.Type, from json: JSONValue) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.jsonText.utf8))
    }
}

// EventFlow's API speaks EventPatterns' JSON and pattern types; importing EventFlow is enough.
@_exported import EventPatterns
