import EventPatterns
import Testing

/// Malformed events and patterns end in clean errors: never a crash, never a hang.
@Suite("Bad input")
struct BadInputTests {
    static let matcher: EventMatcher = {
        let m = EventMatcher()
        try! m.addRule("r", pattern: #"{"a": [{"exists": true}], "b": {"c": [{"prefix": "x"}]}}"#)
        return m
    }()

    func eventError(_ bytes: [UInt8]) -> JSONError? {
        do {
            _ = try Self.matcher.matches(event: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test("truncated events are errors at the point of truncation")
    func truncated() {
        let full = Array(#"{"a": 1, "b": {"c": "xyz", "d": [1, 2, {"e": "\u00e9"}]}}"#.utf8)
        for cut in 0..<full.count - 1 {
            #expect(eventError(Array(full[..<cut])) != nil, "prefix of \(cut) bytes was accepted")
        }
        #expect(eventError(full) == nil)
    }

    @Test("10,000 levels of nesting are rejected, not a stack overflow")
    func deepNesting() {
        let deepArray = Array(("{\"a\":" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}").utf8)
        #expect(eventError(deepArray)?.reason == "nesting deeper than 1000 levels")
        let deepSkipped = Array(("{\"z\":" + String(repeating: "{\"z\":", count: 10_000) + "1" + String(repeating: "}", count: 10_001)).utf8)
        #expect(eventError(deepSkipped)?.reason == "nesting deeper than 1000 levels")
        let deepPattern = String(repeating: "{\"a\":", count: 10_000) + "[1]" + String(repeating: "}", count: 10_000)
        #expect(throws: PatternError.self) { try EventPattern(deepPattern) }
    }

    @Test("huge numbers are kept as text: no crash, matched only by identical text")
    func hugeNumbers() throws {
        let m = EventMatcher()
        try m.addRule("big", pattern: #"{"n": [123456789012345678901234567890]}"#)
        try m.addRule("range", pattern: #"{"n": [{"numeric": [">", 0]}]}"#)
        // Not exactly representable as a double: compared as text only, never numerically.
        #expect(try m.matches(eventJSON: #"{"n": 123456789012345678901234567890}"#) == ["big"])
        #expect(try m.matches(eventJSON: #"{"n": 1.5}"#) == ["range"])
        #expect(try m.matches(eventJSON: #"{"n": 1e400}"#) == [])
        #expect(try m.matches(eventJSON: "{\"n\": " + String(repeating: "9", count: 5000) + "}") == [])
        #expect(throws: PatternError.self) { try EventPattern(#"{"n": [{"numeric": [">", 1e309]}]}"#) }
    }

    @Test("invalid UTF-8 in events and patterns is an error with its offset")
    func invalidUTF8() {
        var bytes = Array(#"{"a": "ab"#.utf8)
        bytes += [0xC3, 0x28]  // a broken two-byte sequence
        bytes += Array(#""}"#.utf8)
        #expect(eventError(bytes) == JSONError(reason: "invalid UTF-8 in string", offset: 9, line: 1, column: 10))
        // in a skipped member too
        var skipped = Array(#"{"zz": ""#.utf8) + [0xFF] + Array(#""}"#.utf8)
        #expect(eventError(skipped)?.reason == "invalid UTF-8 in string")
        skipped = Array(#"{"a": "\ud800"}"#.utf8)
        #expect(eventError(skipped)?.reason == "unpaired surrogate in \\u escape")
        let pattern = String(decoding: Array(#"{"a": [""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""]}"#.utf8), as: UTF8.self)
        #expect(throws: Never.self) { _ = try? EventPattern(pattern) }
    }

    @Test("random bytes never crash the flattener or the pattern parser")
    func randomBytes() {
        var rng = SplitMix64(seed: 7)
        let alphabet = Array(#"{}[]":,.-+eE0123456789truefalsnl\ abc"#.utf8) + [0x80, 0xC3, 0xFF, 0x00, 0x0A]
        var accepted = 0
        for _ in 0..<20_000 {
            let length = Int(rng.next() % 40)
            var bytes: [UInt8] = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            if rng.next() % 2 == 0 { bytes.insert(UInt8(ascii: "{"), at: 0) }
            if eventError(bytes) == nil { accepted += 1 }
            _ = try? EventPattern(String(decoding: bytes, as: UTF8.self))
        }
        #expect(accepted > 0)
    }

    @Test("events that are not objects, and trailing data, are rejected with the reason")
    func notObjects() {
        #expect(eventError(Array("[1,2]".utf8))?.reason == "Event must be a JSON object")
        #expect(eventError(Array("\"x\"".utf8))?.reason == "Event must be a JSON object")
        #expect(eventError([])?.reason == "unexpected end of input")
        #expect(eventError(Array(#"{"a":1} {"#.utf8))?.reason == "unexpected '{' after the JSON value")
        #expect(eventError(Array(#"{"a":01}"#.utf8))?.reason == "leading zero in number")
        let e = eventError(Array("{\n  \"a\": 1,\n  \"b\" 2\n}".utf8))
        #expect(e == JSONError(reason: "expected ':' but found '2'", offset: 18, line: 3, column: 7))
    }

    @Test("catastrophic regex backtracking ends in no match and is counted")
    func regexLimits() throws {
        let m = EventMatcher()
        // A backreference makes it a backtracking pattern, and this one is exponential.
        try m.addRule("evil", pattern: #"{"s": [{"regex": "(a|a)+\\1[^a]"}]}"#)
        try m.addRule("fine", pattern: #"{"s": [{"prefix": "aaa"}]}"#)
        let before = PCRE2Regex.limitExceededCount
        let subject = String(repeating: "a", count: 5000)
        #expect(try m.matches(eventJSON: "{\"s\": \"\(subject)\"}") == ["fine"])
        #expect(PCRE2Regex.limitExceededCount > before)
    }
}
