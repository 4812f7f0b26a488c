import EventPatterns
import Foundation

/// Encodes `Encodable` values straight into a `JSONValue`, with what Foundation's
/// `JSONEncoder` (`.sortedKeys`, `.withoutEscapingSlashes`) would print: members sorted by their
/// UTF-8 bytes, integers as digits, floating-point numbers in their shortest form without a
/// trailing ".0", `Data` as base64, `URL` as its absolute string, `Decimal` as a number,
/// `Date` as its `Codable` form (seconds since 2001), `nil` optionals left out. No JSON text is
/// written and parsed back, which was most of the cost of handing a value to the runtime.
struct JSONValueEncoder {
    func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = EncodingNode()
        try EncodingNode.encode(value, into: root, path: [])
        return root.value
    }
}

/// One value being built: a plain value, or an object or array whose members are nodes.
final class EncodingNode {
    enum Kind { case empty, scalar, object, array }
    var kind = Kind.empty
    var scalar: JSONValue = .null
    var members: [String: EncodingNode] = [:]
    var items: [EncodingNode] = []

    func set(_ v: JSONValue) {
        kind = .scalar
        scalar = v
    }

    static func encode<T: Encodable>(_ value: T, into node: EncodingNode, path: [any CodingKey]) throws {
        // Metatype comparisons, not dynamic casts (which search conformance tables each time).
        if T.self == Data.self {
            node.set(.string((value as! Data).base64EncodedString()))
        } else if T.self == URL.self {
            node.set(.string((value as! URL).absoluteString))
        } else if T.self == Decimal.self {
            node.set(.number(JSONNumber(text: (value as! Decimal).description)))
        } else if T.self == JSONValue.self {
            node.set(value as! JSONValue)
        } else {
            try value.encode(to: NodeEncoder(node: node, codingPath: path))
        }
    }

    var value: JSONValue {
        switch kind {
        case .empty: return .object([])  // a type that encoded nothing: `{}`, as Foundation prints it
        case .scalar: return scalar
        case .object:
            return .object(members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { JSONMember($0.key, $0.value.value) })
        case .array: return .array(items.map(\.value))
        }
    }

    static func number<F: BinaryFloatingPoint & CustomStringConvertible>(_ x: F, path: [any CodingKey]) throws -> JSONValue {
        guard x.isFinite else {
            throw EncodingError.invalidValue(
                x, .init(codingPath: path, debugDescription: "Unable to encode \(x) directly in JSON."))
        }
        var text = x.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .number(JSONNumber(text: text))
    }
}

private struct NodeEncoder: Encoder {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if node.kind != .object {
            node.kind = .object
            node.members = [:]
        }
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if node.kind != .array {
            node.kind = .array
            node.items = []
        }
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleNodeContainer(node: node, codingPath: codingPath) }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    private func child(_ key: Key) -> EncodingNode {
        let c = EncodingNode()
        node.members[key.stringValue] = c
        return c
    }

    mutating func encodeNil(forKey key: Key) throws { child(key).set(.null) }
    // The common scalar types directly (the protocol's defaults go through `encode<T>`, a
    // nested encoder and a coding path per member).
    mutating func encode(_ value: Bool, forKey key: Key) throws { child(key).set(.bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { child(key).set(.string(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { child(key).set(.number(JSONNumber(text: String(value)))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { child(key).set(.number(JSONNumber(text: String(value)))) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        child(key).set(try EncodingNode.number(value, path: codingPath + [key]))
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try EncodingNode.encode(value, into: child(key), path: codingPath + [key])
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        NodeEncoder(node: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        NodeEncoder(node: child(key), codingPath: codingPath + [key]).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { NodeEncoder(node: child(key), codingPath: codingPath + [key]) }
}

private struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var count: Int { node.items.count }

    private func next() -> EncodingNode {
        let c = EncodingNode()
        node.items.append(c)
        return c
    }

    mutating func encodeNil() throws { next().set(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = codingPath + [ArrayIndexKey(count)]
        try EncodingNode.encode(value, into: next(), path: path)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = codingPath + [ArrayIndexKey(count)]
        return NodeEncoder(node: next(), codingPath: path).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = codingPath + [ArrayIndexKey(count)]
        return NodeEncoder(node: next(), codingPath: path).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder {
        let path = codingPath + [ArrayIndexKey(count)]
        return NodeEncoder(node: next(), codingPath: path)
    }
}

private struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.set(.null) }
    mutating func encode(_ value: Bool) throws { node.set(.bool(value)) }
    mutating func encode(_ value: String) throws { node.set(.string(value)) }
    mutating func encode(_ value: Double) throws { node.set(try EncodingNode.number(value, path: codingPath)) }
    mutating func encode(_ value: Float) throws { node.set(try EncodingNode.number(value, path: codingPath)) }
    mutating func encode(_ value: Int) throws { integer(value) }
    mutating func encode(_ value: Int8) throws { integer(value) }
    mutating func encode(_ value: Int16) throws { integer(value) }
    mutating func encode(_ value: Int32) throws { integer(value) }
    mutating func encode(_ value: Int64) throws { integer(value) }
    mutating func encode(_ value: UInt) throws { integer(value) }
    mutating func encode(_ value: UInt8) throws { integer(value) }
    mutating func encode(_ value: UInt16) throws { integer(value) }
    mutating func encode(_ value: UInt32) throws { integer(value) }
    mutating func encode(_ value: UInt64) throws { integer(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try EncodingNode.encode(value, into: node, path: codingPath) }

    private func integer<I: BinaryInteger>(_ value: I) { node.set(.number(JSONNumber(text: String(value)))) }
}
