import EventPatterns
import Foundation

/// Decodes `Decodable` values straight from a `JSONValue`, accepting what Foundation's
/// `JSONDecoder` (default strategies) accepts: integers also from integral number text (`1.0`,
/// `1e2`), `Data` from base64, `URL` from a string, `Decimal` from a number, missing keys and
/// `null` as `nil` for optionals. No JSON text is written and parsed again on the way.
struct JSONValueDecoder {
    func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try ValueDecoder(value: value, codingPath: []).decode(type)
    }
}

private struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if type == Data.self {
            guard case .string(let s) = value, let data = Data(base64Encoded: s) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "Encountered Data is not valid Base64."))
            }
            return data as! T
        }
        if type == URL.self {
            guard case .string(let s) = value, let url = URL(string: s) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "Invalid URL string."))
            }
            return url as! T
        }
        if type == Decimal.self {
            guard case .number(let n) = value, let d = Decimal(string: n.text) else { throw mismatch(type) }
            return d as! T
        }
        if type == JSONValue.self { return value as! T }
        return try T(from: self)
    }

    func mismatch(_ type: Any.Type) -> DecodingError {
        let found: String
        switch value {
        case .null: found = "null"
        case .bool: found = "bool"
        case .number: found = "number"
        case .string: found = "a string"
        case .array: found = "an array"
        case .object: found = "a dictionary"
        }
        return DecodingError.typeMismatch(
            type, .init(codingPath: codingPath, debugDescription: "Expected to decode \(type) but found \(found) instead."))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: Any].self) }
        return KeyedDecodingContainer(KeyedValueContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw mismatch([Any].self) }
        return UnkeyedValueContainer(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleValueContainer(decoder: self) }
}

private struct KeyedValueContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    /// A small object's members are searched in place; a large one's through a table.
    private let list: [JSONMember]
    private let table: [String: JSONValue]?
    let codingPath: [any CodingKey]

    init(members: [JSONMember], codingPath: [any CodingKey]) {
        list = members
        self.codingPath = codingPath
        if members.count > 12 {
            var byKey: [String: JSONValue] = [:]
            for m in members { byKey[m.key] = m.value }  // a repeated key: the last one, as Foundation
            table = byKey
        } else {
            table = nil
        }
    }

    subscript(_ name: String) -> JSONValue? {
        if let table { return table[name] }
        for m in list.reversed() where m.key == name { return m.value }
        return nil
    }

    var allKeys: [Key] { Set(list.map(\.key)).compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { self[key.stringValue] != nil }

    private func child(_ key: Key) throws -> ValueDecoder {
        guard let v = self[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        return ValueDecoder(value: v, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool { try child(key).value == .null }
    // The common scalar types directly (the protocol's defaults go through `decode<T>`).
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        if case .string(let s)? = self[key.stringValue] { return s }
        return try child(key).decode(type)
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        if case .number(let n)? = self[key.stringValue], let i = Int(n.text) { return i }
        return try child(key).decode(type)
    }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        if case .bool(let b)? = self[key.stringValue] { return b }
        return try child(key).decode(type)
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decode(type) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let v = self[key.stringValue], v != .null else { return nil }
        return try ValueDecoder(value: v, codingPath: codingPath + [key]).decode(type)
    }
    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try child(key).unkeyedContainer() }
    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: self["super"] ?? .null, codingPath: codingPath)
    }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: self[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedValueContainer: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    init(items: [JSONValue], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    private mutating func next(_ type: Any.Type) throws -> ValueDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath + [ArrayIndexKey(currentIndex)], debugDescription: "Unkeyed container is at end."))
        }
        defer { currentIndex += 1 }
        return ValueDecoder(value: items[currentIndex], codingPath: codingPath + [ArrayIndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type).decode(type) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next([String: Any].self).container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next([Any].self).unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next(Any.self) }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value == .null }
    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = decoder.value else { throw decoder.mismatch(type) }
        return b
    }
    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = decoder.value else { throw decoder.mismatch(type) }
        return s
    }
    func decode(_ type: Double.Type) throws -> Double { try floating(type) }
    func decode(_ type: Float.Type) throws -> Float { try floating(type) }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(type) }

    private func floating<F: BinaryFloatingPoint & LosslessStringConvertible>(_ type: F.Type) throws -> F {
        guard case .number(let n) = decoder.value else { throw decoder.mismatch(type) }
        guard let x = F(n.text) else { throw corrupted(n, type) }
        return x
    }

    /// Digits as they are; other number text only when its value is an integer in range.
    private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        guard case .number(let n) = decoder.value else { throw decoder.mismatch(type) }
        if let i = I(n.text) { return i }
        guard let d = Double(n.text), d == d.rounded(), let i = I(exactly: d) else { throw corrupted(n, type) }
        return i
    }

    private func corrupted(_ n: JSONNumber, _ type: Any.Type) -> DecodingError {
        DecodingError.dataCorrupted(
            .init(codingPath: codingPath, debugDescription: "Parsed JSON number <\(n.text)> does not fit in \(type)."))
    }
}
