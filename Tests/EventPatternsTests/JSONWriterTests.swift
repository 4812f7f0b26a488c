import EventPatterns
import Testing

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("compact text in member order, with JSON's escapes and non-ASCII text as UTF-8")
    func exactText() throws {
        let value: JSONValue = [
            "s": .string("a\"b\\c/d\n\r\t\u{08}\u{0C}\u{01}\u{1F}\u{7F}é€😀"), "n": .number(JSONNumber(text: "-1.5e3")),
            "list": [true, false, .null, []], "o": [:], "": "",
        ]
        #expect(value.jsonText == #"{"s":"a\"b\\c/d\n\r\t\b\f\u0001\u001f"# + "\u{7F}é€😀" + #"","n":-1.5e3,"list":[true,false,null,[]],"o":{},"":""}"#)
    }

    @Test("parsing the written text gives the value back (random strings of every kind of character)")
    func roundTrip() throws {
        var rng = SplitMix64(seed: 3)
        let pieces = ["a", "\"", "\\", "\n", "\u{00}", "\u{1B}", "é", "ẞ", "😀", " ", "/", "\u{2028}"]
        for _ in 0..<2_000 {
            let s = (0..<Int.random(in: 0..<12, using: &rng)).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &rng)] }.joined()
            let value: JSONValue = ["k" + s: .string(s)]
            #expect(try JSONParser.parse(value.jsonText) == value, "\(value.jsonText)")
        }
    }
}
