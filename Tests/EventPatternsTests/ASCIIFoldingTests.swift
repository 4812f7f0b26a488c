@testable import EventPatterns
import Testing

/// The word-at-a-time helpers of the value lookups against their byte-at-a-time definitions.
@Suite("ASCII folding and the bytes table's hash")
struct ASCIIFoldingTests {
    @Test("folding eight bytes at a time lower-cases A-Z only, and refuses non-ASCII")
    func foldAgainstBytewise() {
        var rng = SplitMix64(seed: 61)
        // Every byte value, at every offset of a word, among random neighbours.
        for b in 0...255 {
            for offset in 0..<19 {
                var bytes = (0..<19).map { _ in UInt8(Int.random(in: 0x20..<0x7F, using: &rng)) }
                bytes[offset] = UInt8(b)
                var out = [UInt8](repeating: 0, count: bytes.count)
                let ascii = bytes.withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { ASCIIFolding.fold(src, into: $0.baseAddress!) } }
                #expect(ascii == (b < 0x80), "byte \(b) at \(offset)")
                if ascii {
                    #expect(out == bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, "byte \(b) at \(offset)")
                }
            }
        }
    }

    @Test("the table finds every key of every length, including keys that differ only in their last byte")
    func tableLookups() {
        var keys: [[UInt8]] = [[]]
        for length in 1...24 {
            for last in [UInt8(ascii: "a"), UInt8(ascii: "b"), 0, 0xFF] {
                keys.append(Array(repeating: UInt8(ascii: "k"), count: length - 1) + [last])
            }
        }
        var table = BytesTable()
        for (i, key) in keys.enumerated() { table.append(key, Int32(i)) }
        table.seal()
        for (i, key) in keys.enumerated() {
            let found = key.withUnsafeBufferPointer { table.lookup($0).map(Array.init) }
            #expect(found == [Int32(i)], "key \(key)")
        }
        let absent: [UInt8] = Array(repeating: UInt8(ascii: "k"), count: 9) + [UInt8(ascii: "c")]
        #expect(absent.withUnsafeBufferPointer { table.lookup($0) } == nil)
    }
}
