import EventPatterns
import Testing

/// Validating scans skip unread members through a fast C validator that hands anything it does
/// not accept back to the Swift scanner. Whatever the input, an event must be accepted exactly
/// when the JSON parser accepts it (random valid members, then the same with random damage).
@Suite("Validating skip")
struct ValidatingSkipTests {
    static let alphabet: [String] = [
        "{", "}", "[", "]", "\"", ",", ":", "\\", " ", "\n", "0", "1", "9", "-", "+", ".", "e", "E", "t", "f", "n", "u",
        "a", "é", "\u{1}", "\\u0041", "\\ud800", "00", "true", "nul",
    ]

    @Test("accepted exactly when the parser accepts", arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func agreesWithParser(seed: UInt64) throws {
        var rng = StructuralSkipTests.Rng(state: seed)
        let matcher = EventMatcher()
        try matcher.addRule("r", pattern: #"{"after": ["yes"]}"#)
        for i in 0..<600 {
            var member = StructuralSkipTests.value(&rng, depth: 0)
            if i % 3 != 0 {
                var chars = Array(member)
                for _ in 0...rng.next(3) {
                    let at = rng.next(chars.count + 1)
                    switch rng.next(3) {
                    case 0 where at < chars.count: chars.remove(at: at)
                    case 1 where at < chars.count: chars[at] = Self.alphabet[rng.next(Self.alphabet.count)].first!
                    default: chars.insert(contentsOf: Self.alphabet[rng.next(Self.alphabet.count)], at: at)
                    }
                }
                member = String(chars)
            }
            let event = #"{"skip": \#(member), "after": "yes"}"#
            let parsed = (try? JSONParser.parse(event)) != nil
            let matched = (try? matcher.matches(eventJSON: event)) != nil
            #expect(parsed == matched, "seed \(seed) #\(i): \(event)")
            if parsed { #expect(try matcher.matches(eventJSON: event) == ["r"]) }
        }
    }
}
