@testable import EventPatterns
import Testing

/// The numeric index (segment table, or interval tree when the table would be too big) against
/// checking every range one by one.
@Suite("Numeric index")
struct NumericIndexTests {
    struct Rng {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
    }

    static func randomRange(_ rng: inout Rng) -> NumericRange {
        var r = NumericRange()
        let a = Double(rng.next(40)) / 2, b = Double(rng.next(40)) / 2
        switch rng.next(5) {
        case 0: r.lower = a; r.lowerInclusive = rng.next(2) == 0
        case 1: r.upper = a; r.upperInclusive = rng.next(2) == 0
        case 2: r.lower = a; r.upper = a; r.lowerInclusive = true; r.upperInclusive = true
        default:
            r.lower = min(a, b); r.upper = max(a, b)
            r.lowerInclusive = rng.next(2) == 0; r.upperInclusive = rng.next(2) == 0
        }
        return r
    }

    @Test("same targets as checking each range, for few and for many overlapping ranges", arguments: [5, 50, 3000])
    func agreesWithBruteForce(count: Int) {
        var rng = Rng(state: UInt64(count))
        var index = NumericIndex()
        var ranges: [NumericRange] = []
        for i in 0..<count {
            let r = Self.randomRange(&rng)
            ranges.append(r)
            index.insert(r, target: Int32(i))
        }
        index.seal()
        var x = -1.0
        while x <= 21 {
            var got: [Int32] = []
            index.forEachContaining(x) { got.append($0) }
            let want = ranges.indices.filter { ranges[$0].contains(x) }.map(Int32.init)
            #expect(got.sorted() == want, "x = \(x)")
            x += 0.25
        }
    }
}
