import EventPatterns
import Testing

/// Stop-early scanning skips unread members by structure alone (64 bytes at a time where SSE2
/// exists). Large random members full of brackets, quotes and escapes inside strings must be
/// skipped to exactly where validating scanning gets.
@Suite("Structural skipping")
struct StructuralSkipTests {
    struct Rng {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
    }

    static let tricky = [#"{"#, #"}"#, #"["#, #"]"#, #"\""#, #"\\"#, #"\\\""#, "a", "ß", "\\u007b", ",", ":", " "]

    static func string(_ rng: inout Rng) -> String {
        var s = "\""
        for _ in 0..<rng.next(40) { s += tricky[rng.next(tricky.count)] }
        return s + "\""
    }

    static func value(_ rng: inout Rng, depth: Int) -> String {
        switch depth > 6 ? rng.next(3) : rng.next(6) {
        case 0: return string(&rng)
        case 1: return String(rng.next(100_000)) + ".5"
        case 2: return ["true", "false", "null"][rng.next(3)]
        case 3, 4:
            let members = (0..<rng.next(6)).map { _ in string(&rng) + ":" + value(&rng, depth: depth + 1) }
            return "{" + members.joined(separator: ",") + "}"
        default:
            let items = (0..<rng.next(6)).map { _ in value(&rng, depth: depth + 1) }
            return "[" + items.joined(separator: ", ") + "]"
        }
    }

    @Test("random large members are skipped exactly", arguments: [UInt64(1), 2, 3, 4, 5])
    func randomMembers(seed: UInt64) throws {
        var rng = Rng(state: seed)
        let fast = EventMatcher(scanning: .stopEarly)
        let full = EventMatcher()
        for m in [fast, full] {
            try m.addRule("after", pattern: #"{"after": ["yes"]}"#)
            try m.addRule("inner", pattern: #"{"box": {"after": ["yes"]}}"#)
        }
        for _ in 0..<300 {
            var skipped = Self.value(&rng, depth: 0)
            while skipped.utf8.count < 200 { skipped = "[" + skipped + "," + Self.value(&rng, depth: 1) + "]" }
            let event = #"{"skip":\#(skipped),"box":{"skip":\#(skipped),"after":"yes"},"after":"yes"}"#
            #expect(try fast.matches(eventJSON: event) == ["after", "inner"], "\(event)")
            #expect(try full.matches(eventJSON: event) == ["after", "inner"])
        }
    }

    @Test("a truncated or too deeply nested skipped member is an error, not a crash")
    func badInput() throws {
        let fast = EventMatcher(maxEventDepth: 50, scanning: .stopEarly)
        try fast.addRule("r", pattern: #"{"after": ["yes"]}"#)
        let long = String(repeating: #"{"a":"x{[\"]}"},"#, count: 20)
        #expect(throws: JSONError.self) { try fast.matches(eventJSON: #"{"skip":[\#(long)"# ) }
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: JSONError.self) { try fast.matches(eventJSON: #"{"skip":\#(deep),"after":"yes"}"#) }
        let fine = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(try fast.matches(eventJSON: #"{"skip":[\#(long)\#(fine)],"after":"yes"}"#) == ["r"])
    }
}
