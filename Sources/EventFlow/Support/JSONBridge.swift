import EventPatterns
import Foundation

/// Converts between `Codable` values and `JSONValue`. Keys are sorted: Foundation's encoder
/// does not keep declaration order, and records must be byte-for-byte reproducible.
/// A `JSONValue` passes through untouched, so its member order and number text survive.
enum JSONBridge {
    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        // A metadata comparison, not a dynamic cast (which searches conformance tables).
        if T.self == JSONValue.self { return value as! JSONValue }
        return try JSONParser.parse(bytes: Array(try encodeData(value)))
    }

    /// Encodes `value` and its size in bytes as JSON text, refusing (with the size) anything
    /// over `limit` before the encoded bytes are parsed: a JSON value is measured without being
    /// written out, any other value is checked as soon as Foundation has encoded it.
    static func encode<T: Encodable>(_ value: T, limit: Int) throws -> Result<JSONValue, Oversize> {
        if T.self == JSONValue.self {
            let json = value as! JSONValue
            let size = JSONSize.of(json)
            return size > limit ? .failure(Oversize(bytes: size)) : .success(json)
        }
        let data = try encodeData(value)
        if data.count > limit { return .failure(Oversize(bytes: data.count)) }
        return .success(try JSONParser.parse(bytes: Array(data)))
    }

    struct Oversize: Error {
        var bytes: Int
    }

    private static func encodeData<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return try encoder.encode(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, from json: JSONValue) throws -> T {
        if T.self == JSONValue.self { return json as! T }
        return try JSONDecoder().decode(T.self, from: Data(json.jsonText.utf8))
    }
}

/// The length in bytes of a value's compact JSON text (as `jsonText` writes it), counted
/// without writing it.
enum JSONSize {
    static func of(_ value: JSONValue) -> Int {
        switch value {
        case .null: return 4
        case .bool(let b): return b ? 4 : 5
        case .number(let n): return n.text.utf8.count
        case .string(let s): return of(s)
        case .array(let items): return 2 + max(0, items.count - 1) + items.reduce(0) { $0 + of($1) }
        case .object(let members):
            return 2 + max(0, members.count - 1) + members.reduce(0) { $0 + of($1.key) + 1 + of($1.value) }
        }
    }

    private static func of(_ s: String) -> Int {
        var n = 2
        for byte in s.utf8 {
            switch byte {
            case 0x22, 0x5C, 0x0A, 0x0D, 0x09, 0x08, 0x0C: n += 2
            case 0..<0x20: n += 6
            default: n += 1
            }
        }
        return n
    }
}
