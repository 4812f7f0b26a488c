import EventPatterns
import Foundation

/// Converts between `Codable` values and `JSONValue`, directly (`JSONValueEncoder`,
/// `JSONValueDecoder`: the text Foundation's coders would give, without writing and parsing
/// it). Keys are sorted: synthesized encoding does not keep declaration order everywhere, and
/// records must be byte-for-byte reproducible. A `JSONValue` passes through untouched, so its
/// member order and number text survive.
enum JSONBridge {
    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        // A metadata comparison, not a dynamic cast (which searches conformance tables).
        if T.self == JSONValue.self { return value as! JSONValue }
        return try JSONValueEncoder().encode(value)
    }

    /// Encodes `value`, refusing (with the size of its JSON text, measured without writing it)
    /// anything over `limit`.
    static func encode<T: Encodable>(_ value: T, limit: Int) throws -> Result<JSONValue, Oversize> {
        let json = try encode(value)
        let size = JSONSize.of(json)
        return size > limit ? .failure(Oversize(bytes: size)) : .success(json)
    }

    struct Oversize: Error {
        var bytes: Int
    }

    static func decode<T: Decodable>(_ type: T.Type, from json: JSONValue) throws -> T {
        if T.self == JSONValue.self { return json as! T }
        return try JSONValueDecoder().decode(T.self, from: json)
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
