import EventPatterns
import Testing

@Suite("Pattern bytes")
struct PatternBytesTests {
    static func bytes(_ parts: [UInt8]...) -> [UInt8] { parts.flatMap { $0 } }

    /// Each: the pattern's bytes and the offset of the first byte that is not UTF-8.
    static let invalid: [(bytes: [UInt8], offset: Int)] = [
        (bytes(Array(#"{"a":["x"#.utf8), [0xFF], Array(#"y"]}"#.utf8)), 8),  // never valid
        (bytes(Array(#"{"a":[""#.utf8), [0xC3], Array(#""]}"#.utf8)), 7),  // truncated sequence
        (bytes(Array(#"{"a":[""#.utf8), [0xC0, 0x80], Array(#""]}"#.utf8)), 7),  // overlong NUL
        (bytes(Array(#"{"a":[""#.utf8), [0xED, 0xA0, 0x80], Array(#""]}"#.utf8)), 7),  // UTF-16 surrogate
        (bytes(Array(#"{""#.utf8), [0xE9], Array(#"":["x"]}"#.utf8)), 2),  // in a member name
        (bytes(Array(#"{"a":[{"prefix":""#.utf8), [0xF8, 0x88, 0x80, 0x80, 0x80], Array(#""}]}"#.utf8)), 17),
    ]

    @Test("invalid UTF-8 in a pattern is rejected with its byte offset", arguments: 0..<invalid.count)
    func rejected(_ i: Int) {
        let (bytes, offset) = Self.invalid[i]
        do {
            _ = try EventPattern(utf8: bytes)
            Issue.record("accepted")
        } catch {
            #expect(error.path == "$")
            #expect(error.reason.hasPrefix("Pattern is not valid JSON: invalid UTF-8"), "\(error)")
            #expect(error.reason.contains("(offset \(offset))"), "\(error)")
        }
    }

    @Test("a rules file with invalid UTF-8 is rejected with the offset")
    func ruleFile() {
        let bytes = Self.bytes(Array(#"{"r": {"a": ["x"#.utf8), [0xFE], Array(#""]}}"#.utf8))
        #expect(throws: RuleFile.Error.self) { try RuleFile(utf8: bytes) }
        do {
            _ = try RuleFile(utf8: bytes)
        } catch {
            #expect(error.reason.contains("invalid UTF-8 in string") && error.reason.contains("(offset 15)"), "\(error)")
        }
    }

    @Test("valid UTF-8 bytes give the same pattern as the text")
    func valid() throws {
        let text = #"{"ü": [{"prefix": "straße"}], "n": [1.5]}"#
        #expect(try EventPattern(utf8: Array(text.utf8)) == EventPattern(text))
        #expect(try RuleFile(utf8: Array(#"{"r": \#(text)}"#.utf8)).rules.count == 1)
    }
}
