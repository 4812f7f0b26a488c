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
