@testable import EventPatterns
import Testing

/// The literal index behind `*x*` wildcards and regexes: what it finds must be exactly the
/// anchors a value contains, and a regex's required literal must be in every value it matches.
@Suite("Infix index")
struct InfixIndexTests {
    @Test("candidates are the anchors the value contains, each once (random anchors over a small alphabet)")
    func candidatesAgainstBruteForce() {
        var rng = SplitMix64(seed: 41)
        for _ in 0..<2_000 {
            var index = InfixIndex()
            var anchors: [[UInt8]] = []
            for k in 0..<Int.random(in: 0..<12, using: &rng) + 1 {
                let anchor = (0..<Int.random(in: 0..<4, using: &rng) + 1).map { _ in UInt8(ascii: "a") + UInt8(Int.random(in: 0..<3, using: &rng)) }
                anchors.append(anchor)
                index.insert(anchor, Int32(k))
            }
            index.seal()
            let value = (0..<Int.random(in: 0..<20, using: &rng)).map { _ in UInt8(ascii: "a") + UInt8(Int.random(in: 0..<3, using: &rng)) }
            var found: [Int32] = []
            value.withUnsafeBufferPointer { v in index.forEachCandidate(in: v) { found.append($0) } }
            let expected = anchors.indices.filter { contains(value, anchors[$0]) }.map(Int32.init)
            #expect(found.sorted() == expected, "anchors \(anchors.map { String(decoding: $0, as: UTF8.self) }) value \(String(decoding: value, as: UTF8.self))")
        }
    }

    @Test("anchors over every byte value (the sparse walk, not the byte-class table) agree with brute force")
    func sparseWalk() {
        var rng = SplitMix64(seed: 43)
        for _ in 0..<200 {
            var index = InfixIndex()
            var anchors: [[UInt8]] = (0...255).map { [UInt8($0), UInt8(ascii: "x")] }
            for _ in 0..<20 { anchors.append((0..<Int.random(in: 1..<4, using: &rng)).map { _ in UInt8(Int.random(in: 0..<4, using: &rng)) }) }
            for (k, a) in anchors.enumerated() { index.insert(a, Int32(k)) }
            index.seal()
            let value = (0..<Int.random(in: 0..<30, using: &rng)).map { _ in
                Int.random(in: 0..<3, using: &rng) == 0 ? UInt8(ascii: "x") : UInt8(Int.random(in: 0..<4, using: &rng))
            }
            var found: [Int32] = []
            value.withUnsafeBufferPointer { v in index.forEachCandidate(in: v) { found.append($0) } }
            let expected = anchors.indices.filter { contains(value, anchors[$0]) }.map(Int32.init)
            #expect(Set(found) == Set(expected))
            #expect(found.count == Set(found).count, "each anchor reported once")
        }
    }

    @Test("one anchor repeated many times in a long value is reported once")
    func repeatedAnchor() {
        var index = InfixIndex()
        index.insert(Array("a".utf8), 0)
        index.insert(Array("aa".utf8), 1)
        index.insert(Array("aaa".utf8), 2)
        index.seal()
        var found: [Int32] = []
        let value = [UInt8](repeating: UInt8(ascii: "a"), count: 100_000)
        value.withUnsafeBufferPointer { v in index.forEachCandidate(in: v) { found.append($0) } }
        #expect(found.sorted() == [0, 1, 2])
    }

    @Test(
        "required literals found from a regex's spelling",
        arguments: [
            ("ORD-0*2856 item [0-9]+", "2856 item "), ("abc", "abc"), ("ab+c", "a"), ("abc(?i)def", "abc"),
            ("x\\d+yz", "x"), ("\\.com$", ".com"), ("ab{2}c", "a"), ("ab{x}c", "ab"), ("(abc)+def", "def"),
            ("straße", "straße"), ("é+xy", "xy"), ("a.b", "a"), ("[ab]c?de", "de"), ("(?:xy)zz", "zz"),
            ("w[[:alpha:]]]", "w"),
        ] as [(String, String)])
    func requiredLiteral(pattern: String, literal: String) {
        #expect(PCRE2Regex.requiredLiteral(pattern, caseless: false) == Array(literal.utf8))
    }

    @Test("no required literal where none is certain", arguments: ["a|b", "(?i)abc", "[[:alpha:]]x", "", ".*", "\\Qab\\E", "(*UTF)ab", "\\x{41}bc"])
    func noRequiredLiteral(pattern: String) {
        let literal = PCRE2Regex.requiredLiteral(pattern, caseless: false)
        // `\x{41}bc` keeps nothing: the search stops at the escape, before any run.
        #expect(literal == nil, "\(pattern): \(literal.map { String(decoding: $0, as: UTF8.self) } ?? "nil")")
        #expect(PCRE2Regex.requiredLiteral("abc", caseless: true) == nil)
    }

    @Test("every value a random regex matches contains its required literal")
    func requiredLiteralIsRequired() throws {
        var rng = SplitMix64(seed: 7)
        let atoms = ["a", "b", "ab", ".", "[ab]", "(ab)", "(?:ba)", "\\d", "1", "\\.", "(a|b)", "{", "}", "é", "(?i)a", "[[:digit:]]"]
        let quantifiers = ["", "", "", "?", "*", "+", "{1,2}", "{2}", "*?"]
        // Every string over these characters up to length 5.
        var subjects: [[UInt8]] = [[]]
        var frontier: [[UInt8]] = [[]]
        for _ in 0..<5 {
            frontier = frontier.flatMap { s in ["a", "b", "1", ".", "A"].map { s + Array($0.utf8) } }
            subjects += frontier
        }
        var checked = 0
        for _ in 0..<400 {
            let pattern = (0..<Int.random(in: 0..<4, using: &rng) + 1).map { _ in atoms[Int.random(in: 0..<atoms.count, using: &rng)] + quantifiers[Int.random(in: 0..<quantifiers.count, using: &rng)] }.joined()
            guard let regex = try? PCRE2Regex(pattern), let literal = regex.requiredLiteral else { continue }
            for s in subjects where s.withUnsafeBufferPointer({ regex.matches($0) }) {
                checked += 1
                #expect(contains(s, literal), "\(pattern) matches \(String(decoding: s, as: UTF8.self)) without \(String(decoding: literal, as: UTF8.self))")
            }
        }
        #expect(checked > 1_000)
    }

    private func contains(_ value: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= value.count else { return false }
        return (0...(value.count - needle.count)).contains { value[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}
