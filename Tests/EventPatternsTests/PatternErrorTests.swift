import EventPatterns
import Testing

/// Every kind of invalid pattern is rejected with EventBridge's wording and the JSON path.
@Suite("Pattern errors")
struct PatternErrorTests {
    static let cases: [(pattern: String, path: String, reason: String)] = [
        (#"[1]"#, "$", "Filter is not an object"),
        (#"{}"#, "$", "Empty objects are not allowed"),
        (#"{"a": {}}"#, "$.a", "Empty objects are not allowed"),
        (#"{"a": []}"#, "$.a", "Empty arrays are not allowed"),
        (#"{"a": "x"}"#, "$.a", "\"a\" must be an object or an array"),
        (#"{"a": 5}"#, "$.a", "\"a\" must be an object or an array"),
        (#"{"a": [[1]]}"#, "$.a[0]", "Match value must be String, number, true, false, or null"),
        (#"{"a": [{"NUMERIC": [">", 1]}]}"#, "$.a[0].NUMERIC", "Unrecognized match type NUMERIC"),
        (#"{"a": [{"prefix": "x", "suffix": "y"}]}"#, "$.a[0]", "Only one key allowed in match expression"),
        (#"{"a": [{"prefix": 5}]}"#, "$.a[0].prefix", "prefix match pattern must be a string"),
        (#"{"a": [{"suffix": ["x"]}]}"#, "$.a[0].suffix", "suffix match pattern must be a string"),
        (#"{"a": [{"equals-ignore-case": ["x"]}]}"#, "$.a[0].equals-ignore-case", "equals-ignore-case match pattern must be a string"),
        (#"{"a": [{"wildcard": "a**b"}]}"#, "$.a[0].wildcard", "Consecutive wildcard characters at pos 2"),
        (#"{"a": [{"wildcard": "a\\b"}]}"#, "$.a[0].wildcard", "Invalid escape character at pos 2"),
        (
            #"{"a": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}"#, "$.a[0].wildcard",
            "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character"
        ),
        (#"{"a": [{"anything-but": null}]}"#, "$.a[0].anything-but", "Value of anything-but must be an array or single string/number value."),
        (#"{"a": [{"anything-but": ["x", null]}]}"#, "$.a[0].anything-but[1]", "Inside anything but list, start|null|boolean is not supported."),
        (
            #"{"a": [{"anything-but": ["x", 1]}]}"#, "$.a[0].anything-but",
            "Inside anything but list, either all values are number or string, mixed type is not supported"
        ),
        (#"{"a": [{"anything-but": {"prefix": ""}}]}"#, "$.a[0].anything-but.prefix", "Null prefix/suffix not allowed"),
        (#"{"a": [{"anything-but": {"exists": true}}]}"#, "$.a[0].anything-but.exists", "Unsupported anything-but pattern: exists"),
        (
            #"{"a": [{"anything-but": {"prefix": {"equals-ignore-case": "x"}}}]}"#, "$.a[0].anything-but.prefix",
            "Value of anything-but must be an array or single string/number value."
        ),
        (#"{"a": [{"numeric": 5}]}"#, "$.a[0].numeric", "Value of numeric must be an array."),
        (#"{"a": [{"numeric": ["<", "5"]}]}"#, "$.a[0].numeric", "Value of < must be numeric"),
        (#"{"a": [{"numeric": ["~", 5]}]}"#, "$.a[0].numeric", "Unrecognized numeric range operator: ~"),
        (#"{"a": [{"numeric": [">", 5, ">", 6]}]}"#, "$.a[0].numeric", "Bad numeric range operator: >"),
        (#"{"a": [{"numeric": [">=", 5, "<=", 5]}]}"#, "$.a[0].numeric", "Bottom must be less than top"),
        (#"{"a": [{"numeric": ["<", 5, ">", 1]}]}"#, "$.a[0].numeric", "Too many elements in numeric expression"),
        (#"{"a": [{"numeric": ["=", 5, "<", 9]}]}"#, "$.a[0].numeric", "Too many elements in numeric expression"),
        (#"{"a": [{"exists": "yes"}]}"#, "$.a[0].exists", "exists match pattern must be either true or false."),
        (#"{"a": [{"cidr": "10.0.0.1"}]}"#, "$.a[0].cidr", "Malformed CIDR, one '/' required"),
        (#"{"a": [{"cidr": "10.0.0.0/x"}]}"#, "$.a[0].cidr", "Malformed CIDR, mask bits must be an integer"),
        (#"{"a": [{"cidr": "10.0.0.0/33"}]}"#, "$.a[0].cidr", "Malformed CIDR, mask bits must be an integer"),
        (#"{"a": [{"cidr": "10.0.300.0/24"}]}"#, "$.a[0].cidr", "Nonstandard IP address: 10.0.300.0"),
        (#"{"a": [{"cidr": 5}]}"#, "$.a[0].cidr", "prefix match pattern must be a string"),
        (#"{"$or": [{"a": ["x"]}]}"#, "$.$or", "$or must contain at least two alternatives"),
        (#"{"$or": [{"prefix": ["x"]}, {"b": ["y"]}]}"#, "$.$or[0].prefix", "Unrecognized match type prefix"),
        (#"{"a": [{"regex": "a(b"}]}"#, "$.a[0].regex", "Invalid regular expression at offset 3: missing closing parenthesis"),
        (#"{"a": [{"regex": 1}]}"#, "$.a[0].regex", "regex match pattern must be a string"),
        (#"{"a": [{"anything-but": {"regex": "["}}]}"#, "$.a[0].anything-but.regex", "Invalid regular expression at offset 1: missing terminating ] for character class"),
        (#"{"a b": {"c": []}}"#, "$[\"a b\"].c", "Empty arrays are not allowed"),
        (#"{"a": [1,]}"#, "$", "Pattern is not valid JSON: unexpected ']' at line 1, column 10 (offset 9)"),
    ]

    @Test("reason and path", arguments: cases.indices)
    func rejected(_ i: Int) {
        let c = Self.cases[i]
        do {
            _ = try EventPattern(c.pattern)
            Issue.record("accepted \(c.pattern)")
        } catch {
            #expect(error.reason == c.reason, "\(c.pattern)")
            #expect(error.path == c.path, "\(c.pattern)")
            #expect(error.description == "Event pattern is not valid. Reason: \(c.reason) (at \(c.path))")
        }
    }

    @Test("$or beyond 1000 combinations is rejected")
    func orLimit() {
        // 11 × 11 × 11 = 1331 combinations
        let branch = (0..<11).map { #"{"f\#($0)": ["x"]}"# }.joined(separator: ",")
        let pattern = #"{"a": {"$or": [\#(branch)]}, "b": {"$or": [\#(branch)]}, "c": {"$or": [\#(branch)]}}"#
        #expect(throws: PatternError.self) { try EventPattern(pattern) }
        let ok = #"{"a": {"$or": [\#(branch)]}, "b": {"$or": [\#(branch)]}}"#
        #expect(throws: Never.self) { try EventPattern(ok) }
    }

    @Test("a $or whose value is an object is an ordinary field name")
    func orAsFieldName() throws {
        let p = try EventPattern(#"{"$or": {"a": ["x"]}}"#)
        #expect(p.matches(event: ["$or": ["a": "x"]]))
        #expect(!p.matches(event: ["a": "x"]))
    }
}
