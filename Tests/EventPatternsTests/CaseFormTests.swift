@testable import EventPatterns
import Testing

@Suite("Ignore-case forms")
struct CaseFormTests {
    static let bmp: [Unicode.Scalar] = (0...0xFFFF).compactMap { Unicode.Scalar(UInt32($0)) }

    /// Every BMP character as a one-character pattern accepts its lower and upper forms, and
    /// when the pattern is indexed by its fold key, so is every form (else the index would
    /// hide a match, as it did for "ẞ").
    @Test("every BMP character: both forms accepted, and found by the index when indexed")
    func everyCharacter() {
        var unindexed: [Unicode.Scalar] = []
        for c in Self.bmp {
            let f = FoldedString(String(c))
            if !f.indexable { unindexed.append(c) }
            for form in [String(c).lowercased(), String(c).uppercased()] {
                let bytes = Array(form.utf8)
                let ok = bytes.withUnsafeBufferPointer { f.matches($0) && f.matchesPrefix(of: $0) && f.matchesSuffix(of: $0) }
                #expect(ok, "U+\(String(c.value, radix: 16)) form \(form)")
                if f.indexable {
                    #expect(FoldedString.foldKey(bytes) == f.key, "U+\(String(c.value, radix: 16)) form \(form)")
                }
            }
        }
        #expect(unindexed.contains("\u{1E9E}"))
        // A handful of characters, all checked value by value instead.
        #expect(unindexed.count < 64, "\(unindexed.map { String($0.value, radix: 16) })")
    }

    @Test("the characters the index cannot find still match through the matcher")
    func unindexedThroughMatcher() throws {
        for c in Self.bmp where !FoldedString(String(c)).indexable {
            let m = EventMatcher()
            let text = "x" + String(c) + "y"
            try m.addRule("eq", pattern: .object([JSONMember("v", .array([["equals-ignore-case": .string(text)]]))]))
            try m.addRule("pre", pattern: .object([JSONMember("v", .array([["prefix": ["equals-ignore-case": .string(text)]]]))]))
            try m.addRule("suf", pattern: .object([JSONMember("v", .array([["suffix": ["equals-ignore-case": .string(text)]]]))]))
            for form in [String(c).lowercased(), String(c).uppercased()] {
                let event = JSONValue.object([JSONMember("v", .string("X" + form + "Y"))])
                #expect(m.matches(event: event) == ["eq", "pre", "suf"], "U+\(String(c.value, radix: 16))")
            }
        }
    }

    @Test("capital sharp s: the issue's three cases, and ß does not accept ẞ")
    func capitalSharpS() throws {
        let m = EventMatcher()
        try m.addRule("eq", pattern: #"{"a": [{"equals-ignore-case": "ẞ"}]}"#)
        try m.addRule("pre", pattern: #"{"b": [{"prefix": {"equals-ignore-case": "STRAẞ"}}]}"#)
        try m.addRule("suf", pattern: #"{"c": [{"suffix": {"equals-ignore-case": "ẞE"}}]}"#)
        try m.addRule("small", pattern: #"{"d": [{"equals-ignore-case": "ß"}]}"#)
        #expect(try m.matches(eventJSON: #"{"a": "ß", "b": "Straße", "c": "straße", "d": "ẞ"}"#) == ["eq", "pre", "suf"])
        #expect(try m.matches(eventJSON: #"{"a": "ss", "b": "STRASSE", "c": "STRASSE", "d": "SS"}"#) == ["small"])
    }

    @Test("a 200,000-character ignore-case pattern is matched without recursion")
    func longPattern() throws {
        let n = 200_000
        let m = EventMatcher()
        for (name, op) in [("eq", "equals-ignore-case"), ("pre", "prefix"), ("suf", "suffix")] {
            let operand: JSONValue = op == "equals-ignore-case" ? .string(String(repeating: "aẞ", count: n / 2)) : ["equals-ignore-case": .string(String(repeating: "aẞ", count: n / 2))]
            try m.addRule(name, pattern: .object([JSONMember("v", .array([op == "equals-ignore-case" ? ["equals-ignore-case": operand] : [op: operand]]))]))
        }
        #expect(m.matches(event: .object([JSONMember("v", .string(String(repeating: "Aß", count: n / 2)))])) == ["eq", "pre", "suf"])
        #expect(m.matches(event: .object([JSONMember("v", .string(String(repeating: "Aß", count: n / 2 - 1) + "AS"))])) == [])
    }
}

@Suite("Case-folding keys")
struct FoldKeyTests {
    @Test("the hand-decoded key equals the key through String for every scalar, and for malformed bytes")
    func sameAsThroughString() {
        var mismatches: [UInt32] = []
        for v in UInt32(0)...0x10FFFF where v < 0x3_0000 || v % 97 == 0 {
            guard let scalar = Unicode.Scalar(v) else { continue }
            let bytes = Array(("a" + String(scalar) + "Z").utf8)
            if FoldedString.foldKey(bytes) != FoldedString.foldKeyThroughString(bytes) { mismatches.append(v) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10).map { String($0, radix: 16) })")
        var rng = SplitMix64(seed: 5)
        for _ in 0..<5_000 {
            let bytes = (0..<Int.random(in: 1..<8, using: &rng)).map { _ in
                [UInt8(0x41), 0xC3, 0x9F, 0xE1, 0xBA, 0x9E, 0x80, 0xC0, 0xE0, 0xF0, 0xF4, 0xFF, 0xED, 0xA0][Int.random(in: 0..<14, using: &rng)]
            }
            #expect(FoldedString.foldKey(bytes) == FoldedString.foldKeyThroughString(bytes), "\(bytes)")
        }
    }
}
