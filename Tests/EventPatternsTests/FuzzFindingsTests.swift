import EventPatterns
import Testing

/// Inputs the fuzzer (Fuzz/) found where the engine and the reference matcher disagreed, kept so
/// that both stay as they were settled.
@Suite("Fuzz findings")
struct FuzzFindingsTests {
    /// A member named "" nests like any other: `{"": {"n": …}}` holds `.n`, not `n`. The
    /// reference matcher used to join paths as if "" were the top.
    @Test("a member named \"\" is a level of its own")
    func emptyMemberName() throws {
        let rule: JSONValue = ["n": [["numeric": [">", 0, "<=", 5]]]]
        let matcher = EventMatcher()
        try matcher.addRule("r", pattern: rule)
        for (text, expected) in [(#"{"":{"n":0.99999999}}"#, false), (#"{"n":0.99999999}"#, true)] {
            let event = try JSONParser.parse(text)
            #expect(try matcher.matches(eventJSON: text) == (expected ? ["r"] : []), "\(text)")
            #expect(ReferenceMatcher.matches(pattern: rule, event: event) == expected, "\(text)")
        }
        let dotted: JSONValue = [".n": [1]]
        try matcher.addRule("dotted", pattern: dotted)
        #expect(try matcher.matches(eventJSON: #"{"":{"n":1}}"#) == ["dotted"])
        #expect(ReferenceMatcher.matches(pattern: dotted, event: try JSONParser.parse(#"{"":{"n":1}}"#)))
    }

    /// A number whose text is not the shortest form of a double matches only identical text
    /// (README), so a numeric range does not take 66 digits of 2.333…; the fuzz target leaves
    /// such events out of its comparison with the reference, which reads them as doubles.
    @Test("a number beyond a double's digits is not compared by value")
    func longNumber() throws {
        let matcher = EventMatcher()
        try matcher.addRule("r", pattern: #"{"n":[{"numeric":[">",0,"<=",5]}]}"#)
        let long = "2." + String(repeating: "3", count: 63) + "5"
        #expect(try matcher.matches(eventJSON: #"{"n":\#(long)}"#) == [])
        #expect(try matcher.matches(eventJSON: #"{"n":2.3}"#) == ["r"])
    }
}
