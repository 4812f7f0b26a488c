import CStructuralSkip
import Testing

@testable import EventPatterns

/// The C validator behind validating scans (AVX2 where the CPU has it, else SSE2 or bytewise)
/// must accept exactly what the Swift scanner accepts, ending where it ends, or hand the value
/// back. Random and damaged values are placed at every offset of a 64-byte block, so numbers,
/// strings, escapes, multi-byte and invalid UTF-8, control characters and literals cross every
/// 16-, 32- and 64-byte boundary and the input's end; arrays of same-shaped objects exercise
/// the templates the validator keeps for them.
@Suite("SIMD validator")
struct SIMDValidatorTests {
    typealias Rng = StructuralSkipTests.Rng

    static let stringPieces: [[UInt8]] = [
        Array("a".utf8), Array("Z9 ".utf8), Array(#"\""#.utf8), Array(#"\\"#.utf8), Array(#"\/"#.utf8), Array(#"\n"#.utf8),
        Array(#"\t"#.utf8), Array(#"\u0041"#.utf8), Array(#"\ud83d\ude00"#.utf8), Array(#"\ud800"#.utf8), Array(#"\x"#.utf8),
        Array(#"\u12"#.utf8), Array("é".utf8), Array("€".utf8), Array("😀".utf8), [0xFF], [0xC0, 0x80], [0x80], [0xED, 0xA0, 0x80],
        [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x01], [0x1F], [0x09], [0x7F], Array("{[,:]}".utf8),
    ]
    static let numberChars = Array("0123456789-+.eE".utf8)
    static let damage = Array("{}[]\",:\\ 0123456789-+.eEtrufalsn".utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]

    static func string(_ rng: inout Rng) -> [UInt8] {
        var s: [UInt8] = [0x22]
        let plain = rng.next(4) == 0
        for _ in 0..<rng.next(plain ? 90 : 30) {
            s += plain ? [UInt8(0x61 + rng.next(26))] : stringPieces[rng.next(stringPieces.count)]
        }
        return s + [0x22]
    }

    static func number(_ rng: inout Rng) -> [UInt8] {
        if rng.next(4) == 0 {  // any mix of number characters, valid or not, up to 40 bytes
            return (0...rng.next(40)).map { _ in numberChars[rng.next(numberChars.count)] }
        }
        var s: [UInt8] = rng.next(2) == 0 ? Array("-".utf8) : []
        s += rng.next(5) == 0 ? Array("0".utf8) : [UInt8(0x31 + rng.next(9))] + (0..<rng.next(30)).map { _ in UInt8(0x30 + rng.next(10)) }
        if rng.next(2) == 0 { s += Array(".".utf8) + (0...rng.next(20)).map { _ in UInt8(0x30 + rng.next(10)) } }
        if rng.next(4) == 0 {
            s += Array(["e", "E", "e+", "E-"][rng.next(4)].utf8) + (0...rng.next(4)).map { _ in UInt8(0x30 + rng.next(10)) }
        }
        return s
    }

    static func scalar(_ rng: inout Rng) -> [UInt8] {
        switch rng.next(4) {
        case 0: return string(&rng)
        case 1: return Array(["true", "false", "null", "tru", "nul", "falsey", "nulll"][rng.next(7)].utf8)
        default: return number(&rng)
        }
    }

    static func space(_ rng: inout Rng) -> [UInt8] { rng.next(4) == 0 ? Array([" ", "\n", "\t ", "\r\n"][rng.next(4)].utf8) : [] }

    static func value(_ rng: inout Rng, depth: Int) -> [UInt8] {
        switch depth > 4 ? 0 : rng.next(6) {
        case 0, 1: return scalar(&rng)
        case 2:
            let items = (0..<rng.next(5)).map { _ in space(&rng) + value(&rng, depth: depth + 1) + space(&rng) }
            return Array("[".utf8) + Array(items.joined(separator: Array(",".utf8))) + Array("]".utf8)
        case 3:
            let members = (0..<rng.next(5)).map { _ in
                string(&rng) + space(&rng) + Array(":".utf8) + space(&rng) + value(&rng, depth: depth + 1)
            }
            return Array("{".utf8) + Array(members.joined(separator: Array(",".utf8))) + Array("}".utf8)
        default: return shapedArray(&rng, depth: depth)
        }
    }

    /// An array of objects of one shape (names and kinds of values), with a few that differ.
    static func shapedArray(_ rng: inout Rng, depth: Int) -> [UInt8] {
        let names = (0..<(1 + rng.next(5))).map { _ in Array(["x", "y", "z", "name", "a_longer_member_name", "k"][rng.next(6)].utf8) }
        let kinds = names.map { _ in rng.next(4) }
        let spaced = rng.next(3) == 0
        var out = Array("[".utf8)
        for i in 0..<rng.next(14) {
            if i > 0 { out += Array((spaced ? ", " : ",").utf8) }
            var members: [[UInt8]] = []
            for (k, name) in names.enumerated() {
                var v: [UInt8]
                switch rng.next(12) == 0 ? rng.next(4) + 4 : kinds[k] {
                case 0: v = number(&rng)
                case 1: v = string(&rng)
                case 2: v = Array(["true", "false", "null"][rng.next(3)].utf8)
                case 3: v = Array((rng.next(2) == 0 ? "0" : "-12.5").utf8)
                case 4: v = value(&rng, depth: depth + 2)
                case 5: v = Array("{}".utf8)
                default: v = scalar(&rng)
                }
                let n = rng.next(20) == 0 ? Array("other".utf8) : name
                members.append([0x22] + n + [0x22] + Array((spaced ? ": " : ":").utf8) + v)
            }
            if rng.next(15) == 0 { members.removeLast() }
            out += Array("{".utf8) + Array(members.joined(separator: Array(",".utf8))) + Array("}".utf8)
        }
        return out + Array("]".utf8)
    }

    static func damaged(_ bytes: [UInt8], _ rng: inout Rng) -> [UInt8] {
        var b = bytes
        for _ in 0...rng.next(2) {
            let at = rng.next(b.count + 1)
            let c = damage[rng.next(damage.count)]
            switch rng.next(3) {
            case 0 where at < b.count: b.remove(at: at)
            case 1 where at < b.count: b[at] = c
            default: b.insert(c, at: at)
            }
        }
        return b
    }

    /// The Swift scanner's verdict on the value at `start`: where it ends, or its error; through
    /// its own checks only (`reference`) or through the C fast path first, as scans run.
    static func verdict(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, reference: Bool) -> Result<Int, JSONError> {
        var scanner = JSONScanner(buffer, maxDepth: 1000)
        scanner.pos = start
        do throws(JSONError) {
            if reference { try scanner.skipValueChecked(depth: 0) } else { try scanner.skipValue(depth: 0) }
            return .success(scanner.pos)
        } catch {
            return .failure(error)
        }
    }

    static func check(_ value: [UInt8], pad: Int, suffix: [UInt8], rejected: inout Int, fast: inout Int) {
        let bytes = [UInt8](repeating: 0x20, count: pad) + value + suffix
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            for start in [0, pad] {
                let simd = ef_skip_valid_value(base, buffer.count, start, 0, 1000)
                let portable = ef_skip_valid_value_portable(base, buffer.count, start, 0, 1000)
                let expected = verdict(buffer, start, reference: true)
                let text = String(decoding: value, as: UTF8.self).debugDescription
                #expect(simd == portable, "pad \(pad) suffix \(suffix) \(text)")
                if simd >= 0 {
                    fast += 1
                    #expect(expected == .success(simd), "pad \(pad) suffix \(suffix) \(text)")
                } else if case .success(let end) = expected {
                    // Only what the fast path leaves to Swift: non-ASCII text and \u escapes.
                    let region = buffer[start..<end]
                    let handedBack = region.contains { $0 >= 0x80 } || zip(region, region.dropFirst()).contains { $0 == 0x5C && $1 == 0x75 }
                    #expect(handedBack, "pad \(pad) suffix \(suffix) \(text)")
                } else {
                    rejected += 1
                }
                // Errors come from the Swift scanner: same text and offset either way.
                #expect(verdict(buffer, start, reference: false) == expected, "pad \(pad) suffix \(suffix) \(text)")
            }
        }
    }

    @Test("accepts exactly what the Swift scanner accepts, at every block offset", arguments: [UInt64(11), 12, 13, 14])
    func differential(seed: UInt64) {
        var rng = Rng(state: seed)
        let suffixes: [[UInt8]] = [[], Array(" ".utf8), Array(",".utf8), Array("]".utf8), Array("}".utf8), Array("x".utf8), Array("7".utf8)]
        var rejected = 0
        var fast = 0
        for i in 0..<700 {
            var v = Self.value(&rng, depth: 0)
            if i % 3 == 1 { v = Self.damaged(v, &rng) }
            for _ in 0..<3 {
                Self.check(v, pad: rng.next(70), suffix: suffixes[rng.next(suffixes.count)], rejected: &rejected, fast: &fast)
            }
        }
        #expect(rejected > 300)
        #expect(fast > 1000)
    }

    @Test("numbers and strings of every length end at every offset of a block")
    func everyLengthAndOffset() {
        var rejected = 0
        var fast = 0
        let numbers = ["0", "-0", "7", "-12.5", "0.000001", "123456789012345678901234567890", "1.5e-3", "2E+10", "01", "-", "1.",
                       ".5", "1e", "1e+", "--1", "1.2.3", "1e5e5", "1-2", "-01.5", "1.5e3.2", "0e0", "9" + String(repeating: "1", count: 33)]
        for text in numbers {
            for pad in 0..<66 {
                for suffix in ["", ",", " ", "]"] {
                    Self.check(Array(text.utf8), pad: pad, suffix: Array(suffix.utf8), rejected: &rejected, fast: &fast)
                }
            }
        }
        for length in 0..<70 {
            let plain = [0x22] + [UInt8](repeating: 0x61, count: length) + [0x22]
            for pad in [0, 1, 15, 16, 31, 32, 33, 63] {
                Self.check(plain, pad: pad, suffix: [], rejected: &rejected, fast: &fast)
                var broken = plain
                broken.insert(0x01, at: 1 + length / 2)
                Self.check(broken, pad: pad, suffix: [], rejected: &rejected, fast: &fast)
                Self.check(Array(plain.dropLast()), pad: pad, suffix: [], rejected: &rejected, fast: &fast)
            }
        }
        #expect(rejected > 500)
        #expect(fast > 3000)
    }
}
