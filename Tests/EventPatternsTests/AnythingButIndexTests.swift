import EventPatterns
import Testing

/// anything-but lists, prefixes, suffixes and ignore-case lists are answered by one exclusion
/// lookup per value. Expected answers follow EventBridge's rules (pattern-engines.md part 1):
/// exact strings compare bytes (the Kelvin sign is not "K"); ignore-case accepts, per pattern
/// character, its lower- or upper-case form ("straße" equals "STRASSE", not "strasse" or
/// "STRAẞE"); values of
/// other types are never excluded; an array matches when any element does.
@Suite("anything-but exclusion index")
struct AnythingButIndexTests {
    static let patterns: [String: String] = [
        "list": #"{"v": [{"anything-but": ["abc", "K", "ß"]}]}"#,
        "prefix": #"{"v": [{"anything-but": {"prefix": "ab"}}]}"#,
        "suffixes": #"{"v": [{"anything-but": {"suffix": ["bc", "c"]}}]}"#,
        "ignore-case": #"{"v": [{"anything-but": {"equals-ignore-case": ["ABC", "k"]}}]}"#,
        "ignore-case-2": #"{"v": [{"anything-but": {"equals-ignore-case": "straße"}}]}"#,
    ]
    static let all = ["ignore-case", "ignore-case-2", "list", "prefix", "suffixes"]

    @Test("exclusions per value", arguments: [
        (#""abc""#, ["ignore-case-2"]),
        (#""ABC""#, ["ignore-case-2", "list", "prefix", "suffixes"]),
        (#""aBc""#, ["ignore-case-2", "list", "prefix"]),
        (#""ab""#, ["ignore-case", "ignore-case-2", "list", "suffixes"]),
        (#""xbc""#, ["ignore-case", "ignore-case-2", "list", "prefix"]),
        (#""c""#, ["ignore-case", "ignore-case-2", "list", "prefix"]),
        (#""K""#, ["ignore-case-2", "prefix", "suffixes"]),
        (#""k""#, ["ignore-case-2", "list", "prefix", "suffixes"]),
        ("\"\u{212A}\"", all),
        (#""STRASSE""#, ["ignore-case", "list", "prefix", "suffixes"]),
        (#""strasse""#, all),
        (#""straße""#, ["ignore-case", "list", "prefix", "suffixes"]),
        ("\"STRA\u{1E9E}E\"", all),
        (#""""#, all),
        ("5", all),
        ("true", all),
        ("null", all),
        (#"["abc", "x"]"#, all),
        (#"["abd"]"#, ["ignore-case", "ignore-case-2", "list", "suffixes"]),
    ])
    func exclusions(value: String, expected: [String]) throws {
        let matcher = EventMatcher()
        for (name, text) in Self.patterns { try matcher.addRule(name, pattern: text) }
        #expect(try matcher.matches(eventJSON: #"{"v": \#(value)}"#) == expected, "value \(value)")
        #expect(matcher.matches(event: try JSONParser.parse(#"{"v": \#(value)}"#)) == expected)
    }
}
