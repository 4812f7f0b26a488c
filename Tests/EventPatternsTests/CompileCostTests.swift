@testable import EventPatterns
import Testing

@Suite("Compile cost")
struct CompileCostTests {
    static let tooComplex =
        "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character"

    static func tokens(_ s: String) -> [Int] {
        s.utf8.map { $0 == UInt8(ascii: "*") ? -1 : Int($0) }
    }

    @Test("a star followed by 4,000 (and 250,000) repeated characters is rejected after a few sets")
    func repeatedAfterStar() throws {
        for n in [4_000, 250_000] {
            let text = "*" + String(repeating: "a", count: n)
            // The answer is reached within 20 explored sets, however long the run.
            #expect(Wildcard.complexity(Self.tokens(text), maxSets: 20) > Wildcard.maxComplexity)
            let pattern = JSONValue.object([JSONMember("s", .array([["wildcard": .string(text)]]))]).jsonText
            #expect(throws: PatternError(path: "$.s[0].wildcard", reason: Self.tooComplex)) { try EventPattern(pattern) }
        }
    }

    @Test("the sets explored per step hold at most limit + 1 positions; EventBridge's 12/13 boundary holds")
    func boundary() throws {
        #expect(Wildcard.complexity(Self.tokens("*:*:*:*:*:event-bus/*")) == 13)
        #expect(Wildcard.complexity(Self.tokens("*:*:*:*:event-bus/*")) <= 12)
        _ = try EventPattern(#"{"r": [{"wildcard": "*:*:*:*:event-bus/*"}]}"#)
        // A long literal before a star: one position live at a time, one set per position.
        let long = String(repeating: "ab", count: 100_000) + "*c"
        #expect(Wildcard.complexity(Self.tokens(long)) <= 3)
        // After a leading star the same literal repeats "ab": too complex, as on EventBridge.
        #expect(Wildcard.complexity(Self.tokens("*" + long)) > Wildcard.maxComplexity)
    }

    @Test("a list of 100,000 values compiles, keeps every distinct value once, and matches")
    func longValueList() throws {
        let numbers = (0..<100_000).map { JSONValue.number(JSONNumber(text: "\($0 * 3)")) }
        let strings = (0..<100_000).map { JSONValue.string("s\($0 % 50_000)") }  // half repeated
        let pattern = try EventPattern(json: .object([JSONMember("n", .array(numbers)), JSONMember("s", .array(strings))]))
        #expect(pattern.conjunctions.count == 1)
        #expect(pattern.conjunctions[0].fields.map(\.alternatives.count) == [100_000, 50_000])
        let m = EventMatcher()
        m.addRule("r", pattern: pattern)
        #expect(try m.matches(eventJSON: #"{"n": 299997, "s": "s49999"}"#) == ["r"])
        #expect(try m.matches(eventJSON: #"{"n": 299998, "s": "s49999"}"#) == [])
        let anything = (0..<100_000).map { JSONValue.string("x\($0)") }
        m.addRule("a", pattern: try EventPattern(json: ["s": .array([["anything-but": .array(anything)]])]))
        #expect(try m.matches(eventJSON: #"{"s": "x99999"}"#) == [])
        #expect(try m.matches(eventJSON: #"{"s": "y"}"#) == ["a"])
    }
}
