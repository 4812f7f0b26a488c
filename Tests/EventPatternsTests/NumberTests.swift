import EventPatterns
import Testing

/// Numbers compare by value only when their text is exactly the shortest form of a double.
@Suite("Numbers")
struct NumberTests {
    static let matcher: EventMatcher = {
        let m = EventMatcher()
        try! m.addRule("gt0", pattern: #"{"n": [{"numeric": [">", 0]}]}"#)
        try! m.addRule("is300", pattern: #"{"n": [300]}"#)
        try! m.addRule("pointone", pattern: #"{"n": [0.1]}"#)
        try! m.addRule("coordinate", pattern: #"{"n": [{"numeric": ["=", -122.42916360922355]}]}"#)
        return m
    }()

    @Test(
        "event numbers",
        arguments: [
            ("300", ["gt0", "is300"]),
            ("300.0", ["gt0", "is300"]),
            ("3e2", ["gt0", "is300"]),
            ("3.00E+2", ["gt0", "is300"]),
            ("30000e-2", ["gt0", "is300"]),
            ("0.1", ["gt0", "pointone"]),
            ("1e-1", ["gt0", "pointone"]),
            ("0.10000000000000001", []),  // not the shortest form of its double
            ("0.1000000000000000055511151231257827", []),
            ("-122.42916360922355", ["coordinate"]),
            ("-122.429163609223550", ["coordinate"]),
            ("123456789012345678", []),  // 18 digits: never exact
            ("1000000000000000000", ["gt0"]),  // 1e18 is exact
            ("-0.0", []),
            ("5e-324", ["gt0"]),  // the smallest double (Java prints it 4.9E-324; Swift, like JavaScript, 5e-324)
            ("1e400", []),
        ])
    func eventNumber(_ text: String, _ expected: [String]) throws {
        #expect(try Self.matcher.matches(eventJSON: "{\"n\": \(text)}") == expected)
    }

    @Test("a number never matches a string and vice versa")
    func types() throws {
        #expect(try Self.matcher.matches(eventJSON: #"{"n": "300"}"#) == [])
        let m = EventMatcher()
        try m.addRule("s", pattern: #"{"n": ["300"]}"#)
        #expect(try m.matches(eventJSON: #"{"n": 300}"#) == [])
        #expect(try m.matches(eventJSON: #"{"n": "300"}"#) == ["s"])
    }
}
