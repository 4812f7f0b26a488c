import EventPatterns
import Testing

/// Members no rule names are passed over by a C scanner that hands back wanted members and
/// anything unusual (escaped, non-ASCII or dotted names, malformed input). Random events full
/// of such names must match exactly as the parsed event does, in both scanning modes, and a
/// damaged event must fail in validating mode exactly when the parser rejects it.
@Suite("Member scanning")
struct MemberScanTests {
    static let names = [
        "a", "b", "p", "q", "r", "STREET", #"ST\u0052EET"#, "p.q", "p.r", "x.y", "ü", "straße", "", "a b", #"\"q"#,
        "a_member_name_longer_than_sixteen_bytes",
    ]

    static let rules: [(String, String)] = [
        ("r1", #"{"a": ["A"]}"#),
        ("r2", #"{"p": {"q": [1]}}"#),
        ("r3", #"{"STREET": [{"prefix": "A"}]}"#),
        ("r4", #"{"p": {"r": [{"exists": true}]}}"#),
        ("r5", #"{"b": [{"anything-but": "B"}]}"#),
        ("r6", #"{"x": {"y": [true]}}"#),
        ("r7", #"{"ü": [{"exists": true}]}"#),
        ("r8", #"{"r": {"a": ["A"], "b": [{"numeric": [">", 0]}]}}"#),
        ("r9", #"{"a b": ["yes"]}"#),
    ]

    static func value(_ rng: inout StructuralSkipTests.Rng, depth: Int) -> String {
        switch rng.next(depth < 4 ? 8 : 4) {
        case 0: return ["\"A\"", "\"B\"", "\"yes\"", #""x\"y""#, #""\u0041""#, "\"é\"", "\"[{]}\"", "\"\""][rng.next(8)]
        case 1: return ["1", "-0.5", "1e5", "12345678901234567890.5", "0", "-1.25E-3"][rng.next(6)]
        case 2: return ["true", "false", "null"][rng.next(3)]
        case 3: return "\"" + String(repeating: "A", count: rng.next(40)) + "\""
        case 4, 5: return object(&rng, depth: depth + 1)
        default: return "[" + (0..<rng.next(5)).map { _ in value(&rng, depth: depth + 1) }.joined(separator: ",") + "]"
        }
    }

    static func object(_ rng: inout StructuralSkipTests.Rng, depth: Int) -> String {
        let members = (0..<rng.next(6)).map { _ in
            "\"" + names[rng.next(names.count)] + "\"" + ["", " "][rng.next(2)] + ":" + ["", " ", "\n"][rng.next(3)]
                + value(&rng, depth: depth)
        }
        return "{" + members.joined(separator: [",", ", ", " ,"][rng.next(3)]) + "}"
    }

    @Test("random events match as their parsed form does", arguments: [UInt64(1), 2, 3])
    func agreesWithParsedEvents(seed: UInt64) throws {
        var rng = StructuralSkipTests.Rng(state: seed)
        let validating = EventMatcher()
        let stopEarly = EventMatcher(scanning: .stopEarly)
        for m in [validating, stopEarly] {
            for (name, pattern) in Self.rules { try m.addRule(name, pattern: pattern) }
        }
        var matchedSome = 0
        for _ in 0..<800 {
            let event = Self.object(&rng, depth: 0)
            let expected = validating.matches(event: try JSONParser.parse(event))
            if !expected.isEmpty { matchedSome += 1 }
            #expect(try validating.matches(eventJSON: event) == expected, "\(event)")
            #expect(try stopEarly.matches(eventJSON: event) == expected, "\(event)")
        }
        #expect(matchedSome > 100)  // the rules are reached, not just skipped
    }

    @Test("damaged events fail in validating mode exactly when the parser rejects them", arguments: [UInt64(7), 8, 9])
    func damagedEvents(seed: UInt64) throws {
        var rng = StructuralSkipTests.Rng(state: seed)
        let matcher = EventMatcher()
        for (name, pattern) in Self.rules { try matcher.addRule(name, pattern: pattern) }
        var rejected = 0
        for _ in 0..<800 {
            var chars = Array(Self.object(&rng, depth: 0))
            for _ in 0...rng.next(2) {
                let at = rng.next(chars.count + 1)
                let c = ValidatingSkipTests.alphabet[rng.next(ValidatingSkipTests.alphabet.count)].first!
                switch rng.next(3) {
                case 0 where at < chars.count: chars.remove(at: at)
                case 1 where at < chars.count: chars[at] = c
                default: chars.insert(c, at: at)
                }
            }
            let event = String(chars)
            let parsed = try? JSONParser.parse(event)
            let matched = try? matcher.matches(eventJSON: event)
            if parsed == nil { rejected += 1 }
            if case .object = parsed {
                #expect(matched == matcher.matches(event: parsed!), "\(event)")
            } else {
                #expect(matched == nil, "\(event)")
            }
        }
        #expect(rejected > 200)
    }

    @Test("errors in members name the problem and its offset")
    func memberErrors() throws {
        let matcher = EventMatcher()
        try matcher.addRule("r", pattern: #"{"p": {"a": ["A"]}}"#)
        let cases: [(event: String, reason: String, offset: Int)] = [
            (#"{"a" 1}"#, "expected ':' but found '1'", 5),
            (#"{"a":1 "b":2}"#, "expected ',' or '}' but found '\"'", 7),
            (#"{"x":1,}"#, "expected a member name string but found '}'", 7),
            (#"{"x":[1,2}"#, "expected ',' or ']' but found '}'", 9),
            (#"{"x":tru}"#, "invalid literal", 5),
            (#"{"p":{"q":1,"r":x}}"#, "invalid number", 16),
            (#"{"p":{"q":1,"r":1"#, "unexpected end of input", 17),
        ]
        for c in cases {
            #expect(throws: JSONError(reason: c.reason, offset: c.offset, line: 1, column: c.offset + 1), "\(c.event)") {
                try matcher.matches(eventJSON: c.event)
            }
        }
    }

    /// Scalars of wanted members are read by the member scanner itself; whatever it declines
    /// goes to the Swift reader, which must report exactly what it always did.
    @Test("wanted scalar members: values read in the scanner match, and bad ones give the reader's errors")
    func wantedScalars() throws {
        func matcher(_ scanning: EventMatcher.Scanning) throws -> EventMatcher {
            let matcher = EventMatcher(scanning: scanning)
            try matcher.addRule("s", pattern: #"{"p": {"s": ["x"], "n": [{"numeric": [">", 1]}]}}"#)
            try matcher.addRule("t", pattern: #"{"p": {"t": [true], "z": [null]}}"#)
            try matcher.addRule("f", pattern: #"{"p": {"f": [false]}}"#)
            try matcher.addRule("items", pattern: #"{"p": {"items": {"s": ["y"], "n": [2]}}}"#)
            return matcher
        }
        let validating = try matcher(.validating)
        let stopEarly = try matcher(.stopEarly)
        let matches: [(event: String, names: [String])] = [
            (#"{"p":{"s":"x","n":1.5}}"#, ["s"]),
            (#"{"p":{ "n" : 1.0e1 , "s" : "x" }}"#, ["s"]),
            (#"{"p":{"s":"x\u0000","n":3}}"#, []),  // escaped: read in Swift, and not "x"
            (#"{"p":{"s":"é","n":3}}"#, []),  // non-ASCII: read in Swift
            (#"{"p":{"t":true,"z":null,"f":false}}"#, ["f", "t"]),
            (#"{"p":{"items":[{"s":"y","n":1},{"s":"x","n":2}]}}"#, []),  // one rule needs both from one element
            (#"{"p":{"items":[{"s":"x","n":1},{"n":2,"s":"y"}]}}"#, ["items"]),
        ]
        for m in matches {
            #expect(try validating.matches(eventJSON: m.event) == m.names, "\(m.event)")
            #expect(try stopEarly.matches(eventJSON: m.event) == m.names, "stop-early: \(m.event)")
        }
        let errors: [(event: String, reason: String, offset: Int)] = [
            (#"{"p":{"n":01}}"#, "leading zero in number", 10),
            (#"{"p":{"n":1.}}"#, "invalid number", 10),
            (#"{"p":{"n":-}}"#, "invalid number", 10),
            (#"{"p":{"t":tru}}"#, "invalid literal", 10),
            (#"{"p":{"s":"x" "n":1}}"#, "expected ',' or '}' but found '\"'", 14),
            (#"{"p":{"n":12a}}"#, "expected ',' or '}' but found 'a'", 12),
            (#"{"p":{"s":"x"#, "unterminated string", 10),
        ]
        for c in errors {
            #expect(throws: JSONError(reason: c.reason, offset: c.offset, line: 1, column: c.offset + 1), "\(c.event)") {
                try validating.matches(eventJSON: c.event)
            }
        }
    }
}
