import EventPatterns
import Foundation

/// Converts between `Codable` values and `JSONValue`. Keys are sorted: Foundation's encoder
/// does not keep declaration order, and records must be byte-for-byte reproducible.
/// A `JSONValue` passes through untouched, so its member order and number text survive.
enum JSONBridge {
    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        // A metadata comparison, not a dynamic cast (which searches conformance tables).
        if T.self == JSONValue.self { return value as! JSONValue }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let data = try encoder.encode(value)
        return try JSONParser.parse(bytes: Array(data))
    }

    static func decode<T: Decodable>(_ type: T.Type, from json: JSONValue) throws -> T {
        if T.self == JSONValue.self { return json as! T }
        return try JSONDecoder().decode(T.self, from: Data(json.jsonText.utf8))
    }
}
