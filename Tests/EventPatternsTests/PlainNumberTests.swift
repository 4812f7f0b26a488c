@testable import EventPatterns
import Testing

/// The one-pass reading of short plain numbers must give exactly what the full reading gives.
@Suite("Plain numbers")
struct PlainNumberTests {
    @Test("short numbers without an exponent read the same in one pass as through the decimal key")
    func againstFullReading() {
        var rng = SplitMix64(seed: 57)
        var read = 0
        for _ in 0..<200_000 {
            var text: [UInt8] = []
            if Bool.random(using: &rng) { text.append(UInt8(ascii: "-")) }
            let integer = Int.random(in: 1...16, using: &rng)
            // Leading zeros included, though JSON allows only one: the reading must not care.
            for _ in 0..<integer { text.append(UInt8(ascii: "0") + UInt8(Int.random(in: 0..<10, using: &rng))) }
            if Bool.random(using: &rng) {
                text.append(UInt8(ascii: "."))
                for _ in 0..<Int.random(in: 1...10, using: &rng) { text.append(UInt8(ascii: "0") + UInt8(Int.random(in: 0..<10, using: &rng))) }
            }
            text.withUnsafeBufferPointer { t in
                guard let plain = EventNumber.plainValue(t) else { return }
                read += 1
                let full = EventNumber.fullValue(t)
                #expect(full.map { $0.bitPattern } == plain.bitPattern, "\(String(decoding: text, as: UTF8.self))")
            }
        }
        #expect(read > 100_000)  // most of these texts take the one-pass reading
    }

    @Test("numbers the member scanner reads itself match as the parsed event's numbers do")
    func scannerAgainstParsedEvent() throws {
        let matcher = EventMatcher()
        try matcher.addRule("range", pattern: #"{"n": [{"numeric": [">", -1000, "<=", 1000]}]}"#)
        try matcher.addRule("exact", pattern: #"{"n": [12.5, -0.25, 7, 0, 1e3]}"#)
        try matcher.addRule("text", pattern: #"{"n": [123456789012345678]}"#)
        var rng = SplitMix64(seed: 59)
        var texts = ["0", "-0", "0.0", "12.5", "12.50", "-0.25", "7", "7.0", "1e3", "1000", "1000.0000000000001",
                     "123456789012345678", "1.5E2", "-1000", "-1000.0"]
        for _ in 0..<3_000 {
            let integer = Int.random(in: -3_000...3_000, using: &rng)
            let fraction = Bool.random(using: &rng) ? "" : "." + String(Int.random(in: 0..<1_000_000, using: &rng))
            texts.append("\(integer)\(fraction)")
        }
        for text in texts {
            let json = "{\"n\": \(text)}"
            let parsed = try JSONParser.parse(json)
            #expect(try matcher.matches(eventJSON: json) == matcher.matches(event: parsed), "\(text)")
        }
    }

    @Test("what the one-pass reading leaves to the full one", arguments: ["1e5", "1E5", "+1", "1.2.3", "-", "", ".", "1234567890123456", "12345678901234.56", "--1"])
    func declined(_ text: String) {
        #expect(Array(text.utf8).withUnsafeBufferPointer { EventNumber.plainValue($0) } == nil)
    }

    @Test("zero of either sign is 0.0", arguments: ["0", "-0", "0.000", "-0.0"])
    func zero(_ text: String) {
        let value = Array(text.utf8).withUnsafeBufferPointer { EventNumber.plainValue($0) }
        #expect(value?.bitPattern == 0.0.bitPattern)
    }
}
