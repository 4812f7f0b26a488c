import EventPatterns
import Foundation
import Testing

@testable import EventFlow

/// The runtime's direct coders against Foundation's, on values of every Codable kind: the same
/// JSON text out, the same values back.
@Suite("JSONValue coders")
struct JSONValueCoderTests {
    enum Kind: String, Codable, Equatable { case small, large }
    enum Shape: Codable, Equatable {
        case circle(radius: Double)
        case square(side: Int, label: String?)
        case none
    }
    struct Inner: Codable, Equatable {
        var name: String
        var tags: [String]
    }
    struct Sample: Codable, Equatable {
        var int: Int
        var int8: Int8
        var uint64: UInt64
        var double: Double
        var float: Float
        var flag: Bool
        var text: String
        var list: [Int]
        var table: [String: Double]
        var inner: Inner
        var optional: Int?
        var nothing: String?
        var data: Data
        var date: Date
        var url: URL
        var decimal: Decimal
        var kind: Kind
        var shapes: [Shape]
        var nested: [[Inner?]]
    }

    static func sample(_ i: Int, _ rng: inout Generator) -> Sample {
        let strings = ["", "a", "é/ß\"\\\n\u{01}", "😀 x", "Z", "_k", "a10", "a9"]
        func pick() -> String { strings[Int(rng.next() % UInt64(strings.count))] }
        return Sample(
            int: Int(truncatingIfNeeded: rng.next()) >> Int(rng.next() % 60), int8: Int8(truncatingIfNeeded: rng.next()),
            uint64: rng.next(), double: [0.1, -0.0, 100, 1e21, .leastNonzeroMagnitude, Double(i) / 7, 123456789.125][i % 7],
            float: [Float(0.3), 1e10, 100, -2.5][i % 4], flag: i % 2 == 0, text: pick(), list: (0..<(i % 4)).map { $0 * i },
            table: Dictionary(uniqueKeysWithValues: (0..<(i % 3)).map { (pick() + "\($0)", Double($0) + 0.5) }),
            inner: Inner(name: pick(), tags: [pick(), pick()]), optional: i % 3 == 0 ? nil : i, nothing: nil,
            data: Data((0..<(i % 5)).map { UInt8($0 * 50) }), date: Date(timeIntervalSinceReferenceDate: Double(i) * 1000.25),
            url: URL(string: "https://example.com/\(i)?q=a/b")!, decimal: Decimal(string: ["1.25", "0", "-3", "12345678901234567890.5"][i % 4])!,
            kind: i % 2 == 0 ? .small : .large,
            shapes: [.circle(radius: Double(i)), .square(side: i, label: i % 2 == 0 ? pick() : nil), .none],
            nested: [[Inner(name: pick(), tags: []), nil], []])
    }

    @Test("encoding: the text Foundation's JSONEncoder (sorted keys, slashes unescaped) gives, for 500 values")
    func encoderMatchesFoundation() throws {
        var rng = Generator(seed: 12)
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        for i in 0..<500 {
            let value = Self.sample(i, &rng)
            let expected = String(decoding: try foundation.encode(value), as: UTF8.self)
            let json = try JSONValueEncoder().encode(value)
            #expect(json.jsonText == expected, "#\(i)")
            #expect(try JSONParser.parse(expected) == json)
        }
    }

    @Test("decoding: the values Foundation's JSONDecoder gives, for 500 values")
    func decoderMatchesFoundation() throws {
        var rng = Generator(seed: 13)
        for i in 0..<500 {
            let value = Self.sample(i, &rng)
            let json = try JSONValueEncoder().encode(value)
            let foundation = try JSONDecoder().decode(Sample.self, from: Data(json.jsonText.utf8))
            let direct = try JSONValueDecoder().decode(Sample.self, from: json)
            #expect(direct == foundation, "#\(i)")
            #expect(direct == value, "#\(i)")
        }
    }

    struct Count: Codable { var n: Int }

    @Test("integers from integral number text, as Foundation accepts them; other numbers and types refused")
    func integers() throws {
        for (text, n) in [("1.0", 1), ("1e2", 100), ("-0", 0), ("42", 42)] {
            #expect(try JSONValueDecoder().decode(Count.self, from: try JSONParser.parse(#"{"n":\#(text)}"#)).n == n)
        }
        for text in ["1.5", "1e40", #""1""#, "null", "true"] {
            #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Count.self, from: try JSONParser.parse(#"{"n":\#(text)}"#)) }
        }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Count.self, from: try JSONParser.parse("{}")) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode([Double.nan]) }
    }

    /// A 64-bit linear congruential generator, for repeatable samples.
    struct Generator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }
}
