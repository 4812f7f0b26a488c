import CPCRE2
@testable import EventPatterns
import Testing

@Suite("Regex budget")
struct RegexBudgetTests {
    static func event(_ member: String, _ value: JSONValue) -> [UInt8] {
        Array(JSONValue.object([JSONMember(member, value)]).jsonText.utf8)
    }

    @Test("patterns are sorted into one-pass (DFA) and backtracking ones")
    func classification() throws {
        for p in ["(a|b)+", "(?:ab)*", "[a-z]+[0-9]{2,4}", "(?i)abc", "x(?=y)y", "a\\+b", "(?:a|a)+[^a]", "(ab{3})+", "(a?b)+",
                  "([a+]b)+", "(\\d)+", "(x)*(y+)", "(?:[.]x)*"] {
            #expect(try PCRE2Regex(p).isOnePass, "\(p)")
        }
        for p in ["(a)\\1", "(?<n>a)\\k<n>", "(?>a+)b", "a++b", "a*+", "a{2}+", "(*COMMIT)a", "(a)?(?(1)b|c)", "(a|(?R))", "(a)(?1)",
                  "(a+)+$", "(?:x*y)*", "(a{2,})*", "((a|b)+c)+", "(?:(?:a)+)+", "(a\\d*){1,5}"] {
            #expect(try !PCRE2Regex(p).isOnePass, "\(p)")
        }
    }

    /// Benign patterns on long values: decided, and right (the backtracking depth limit used
    /// to stop `(a|b)+` at about 2,000 characters).
    @Test("linear patterns match correctly on values up to 1 MB", arguments: [2_000, 10_000, 1_000_000])
    func longValues(length: Int) throws {
        let ab = String(repeating: "ab", count: length / 2)
        let cases: [(pattern: String, yes: String, no: String)] = [
            ("(a|b)+", ab, ab + "c"),
            ("(?:ab)*", ab, ab + "a"),
            ("[ab]+", ab, "c" + ab),
            ("(?:a|b)*c", ab + "c", ab),
            ("(?:a|aa)+$", String(repeating: "a", count: length), String(repeating: "a", count: length) + "!"),
            ("(?:ab|a)(?:b|ba)*", ab, ab + "c"),
            ("(?s).*ORD-[0-9]{6}", ab + "ORD-123456", ab + "ORD-12345"),
        ]
        for c in cases {
            let m = EventMatcher()
            try m.addRule("r", pattern: .object([JSONMember("s", .array([["regex": .string(c.pattern)]]))]))
            let yes = try m.matchesMeasuringWork(event: Self.event("s", .string(c.yes)))
            let no = try m.matchesMeasuringWork(event: Self.event("s", .string(c.no)))
            #expect(yes.names == ["r"], "\(c.pattern) on \(length)")
            #expect(no.names == [], "\(c.pattern) on \(length)")
            #expect(yes.work.regex.undecided == 0 && no.work.regex.undecided == 0, "\(c.pattern)")
            // Linear work: at most the JIT grant plus one DFA pass over the value.
            for w in [yes.work.regex, no.work.regex] {
                #expect(w.charged <= 1_000 + 5 * (c.no.utf8.count + c.yes.utf8.count), "\(c.pattern): \(w)")
                #expect(w.dfaRuns <= 1, "\(c.pattern): \(w)")
            }
        }
    }

    /// The issue's 45-second event: an array of strings against `(a+)+$` (nested repeats, so
    /// backtracking). The first elements spend the event's budget; the rest are undecided
    /// without any work, instead of each spending a per-match limit again.
    @Test("an array of 2,000 strings against (a+)+$: one budget for the event")
    func arrayOfStrings() throws {
        let m = EventMatcher()
        try m.addRule("r", pattern: #"{"s": [{"regex": "(a+)+$"}]}"#)
        let element = String(repeating: "a", count: 100) + "!"
        let bytes = Self.event("s", .array(Array(repeating: .string(element), count: 2_000)))
        let (names, all) = try m.matchesMeasuringWork(event: bytes)
        let work = all.regex
        #expect(names == [])
        #expect(work.charged <= RegexBudget.eventSteps)
        #expect(work.undecided >= 1_900)
        #expect(work.dfaRuns == 0)
        // Each element's grants grow 1,000 → 8,000 → … → 1,000,000: a handful of runs each.
        #expect(work.backtrackingRuns <= 200, "\(work)")
        // Values the pattern matches are still found.
        #expect(try m.matches(event: Self.event("s", .string(String(repeating: "a", count: 10_000)))) == ["r"])
    }

    /// A pattern that must backtrack (a backreference) and is exponential: every element is
    /// undecided, and the whole event's work stays within one budget, not one per element.
    @Test("an exponential backtracking pattern over 200 elements: one budget for the event")
    func oneBudgetPerEvent() throws {
        let m = EventMatcher()
        try m.addRule("r", pattern: #"{"s": [{"regex": "(a|a)+\\1[^a]"}]}"#)
        try m.addRule("not", pattern: #"{"s": [{"anything-but": {"regex": "(a|a)+\\1[^a]"}}]}"#)
        let before = PCRE2Regex.limitExceededCount
        let bytes = Self.event("s", .array(Array(repeating: .string(String(repeating: "a", count: 40)), count: 200)))
        let (names, all) = try m.matchesMeasuringWork(event: bytes)
        let work = all.regex
        // Undecided is not a match, for the regex nor for its negation.
        #expect(names == [])
        #expect(work.undecided == 400)
        #expect(work.charged <= RegexBudget.eventSteps)
        #expect(work.dfaRuns == 0)
        #expect(PCRE2Regex.limitExceededCount >= before + 400)
        // The next event has a budget of its own.
        let small = try m.matchesMeasuringWork(event: Self.event("s", .string("aab")))
        #expect(small.names == ["r"] && small.work.regex.undecided == 0)
    }

    /// Both matchers (DFA for one-pass patterns, budgeted backtracking for the rest) give plain
    /// backtracking's answers.
    @Test("DFA and budgeted backtracking agree with plain backtracking")
    func agreement() throws {
        let patterns = [
            "(a|b)+", "(?:ab)*", "a?b?c?", "(?i)ÄbC", "[^x]*x", "(a|ab)(c|bcd)", "x(?=yy)y+", "(?!ab)..", "a{2,3}b{0,1}",
            "(?s).*\\d", "\\p{Lu}\\p{Ll}*", "(?:(a)|b)+", "(?:\\w+\\s)*end", "", "(a*)*b", "[ab]*?b",
        ]
        let subjects = ["", "a", "ab", "abab", "aab", "abcd", "abc", "xyy", "xy", "ÄBC", "äbc", "Hello", "foo bar end", "aaab", "ba", "b\n1"]
        for p in patterns {
            let regex = try PCRE2Regex(p)
            for s in subjects {
                #expect(regex.matches(s) == Self.backtrack(p, s), "\(p) on \(s)")
            }
        }
    }

    /// A plain `pcre2_match` with default limits, for comparison.
    static func backtrack(_ pattern: String, _ subject: String) -> Bool {
        var code: Int32 = 0
        var offset = 0
        let options = UInt32(PCRE2_UTF) | UInt32(PCRE2_ANCHORED) | UInt32(PCRE2_ENDANCHORED)
        let compiled = Array(pattern.utf8).withUnsafeBufferPointer {
            pcre2_compile_8($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count, options, &code, &offset, nil)
        }
        defer { pcre2_code_free_8(compiled) }
        let data = pcre2_match_data_create_from_pattern_8(compiled, nil)
        defer { pcre2_match_data_free_8(data) }
        return Array(subject.utf8).withUnsafeBufferPointer {
            pcre2_match_8(compiled, $0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count, 0, 0, data, nil) >= 0
        }
    }
}
