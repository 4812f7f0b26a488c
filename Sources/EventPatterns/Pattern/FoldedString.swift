/// The operand of `equals-ignore-case` (and the ignore-case forms of prefix and suffix).
///
/// EventBridge compares per UTF-16 character of the pattern: the event must hold that
/// character's lower-case or upper-case form (Java's `toLowerCase`/`toUpperCase`, ROOT locale).
/// So `"straße"` matches `"STRASSE"` but not `"strasse"`, and characters outside the BMP are
/// not case-mapped at all (Java maps the surrogate halves one by one). `forms` holds those
/// alternatives; `key` is a case-folded form used only to index candidates, which are then
/// checked against `forms`.
///
/// The key finds every accepted value only when each character's forms fold to the character's
/// own key. A few do not: the capital sharp s "ẞ" has the forms "ß" (folding to "ss") and "ẞ"
/// (folding to "ß"). Such patterns are not `indexable`, and the matcher checks them against
/// every value instead.
struct FoldedString: Hashable, Sendable {
    let original: String
    let key: [UInt8]
    let forms: [[[UInt8]]]
    /// Whether every value `forms` accepts has `key` as its fold key (prefix, suffix).
    let indexable: Bool

    init(_ s: String) {
        original = s
        key = FoldedString.foldKey(Array(s.utf8))
        forms = s.unicodeScalars.map { scalar in
            let own = Array(String(scalar).utf8)
            guard scalar.value <= 0xFFFF, !scalar.isASCII || scalar.properties.isCased else { return [own] }
            if scalar.isASCII {
                let b = UInt8(scalar.value)
                let lower = b | 0x20
                let upper = b & ~0x20
                return lower == upper ? [[b]] : [[lower], [upper]]
            }
            var out: [[UInt8]] = []
            for form in [Array(String(scalar).lowercased().utf8), Array(String(scalar).uppercased().utf8)]
            where !out.contains(form) {
                out.append(form)
            }
            return out
        }
        indexable = zip(s.unicodeScalars, forms).allSatisfy { scalar, alternatives in
            let own = FoldedString.foldKey(Array(String(scalar).utf8))
            return alternatives.allSatisfy { FoldedString.foldKey($0) == own }
        }
    }

    /// Case-insensitive equality of the whole value.
    func matches(_ v: UnsafeBufferPointer<UInt8>) -> Bool { matchForward(v).contains(v.count) }

    func matchesPrefix(of v: UnsafeBufferPointer<UInt8>) -> Bool { !matchForward(v).isEmpty }

    func matchesSuffix(of v: UnsafeBufferPointer<UInt8>) -> Bool {
        // The same walk from the end: the positions where the last k characters can start.
        var ends = [v.count]
        for k in forms.indices.reversed() {
            var next: [Int] = []
            for end in ends {
                for form in forms[k] where end - form.count >= 0 && Self.equal(v, end - form.count, form) {
                    if !next.contains(end - form.count) { next.append(end - form.count) }
                }
            }
            if next.isEmpty { return false }
            ends = next
        }
        return true
    }

    /// The positions in `v` where the pattern's characters, each in one of its forms, can end
    /// when read from the start. A set of positions per character rather than recursion (the
    /// pattern may be 256 KiB long); there are rarely more than one.
    private func matchForward(_ v: UnsafeBufferPointer<UInt8>) -> [Int] {
        var positions = [0]
        for alternatives in forms {
            var next: [Int] = []
            for pos in positions {
                for form in alternatives where pos + form.count <= v.count && Self.equal(v, pos, form) {
                    if !next.contains(pos + form.count) { next.append(pos + form.count) }
                }
            }
            if next.isEmpty { return [] }
            positions = next
        }
        return positions
    }

    @inline(__always)
    private static func equal(_ v: UnsafeBufferPointer<UInt8>, _ at: Int, _ form: [UInt8]) -> Bool {
        for (j, b) in form.enumerated() where v[at + j] != b { return false }
        return true
    }

    private static func fold(_ scalar: Unicode.Scalar) -> String.UTF8View { String(scalar).uppercased().lowercased().utf8 }

    /// The folds of U+0000–U+024F (Latin-1 and Latin Extended A and B, the non-ASCII letters
    /// most text has), computed once: folding through `String` costs thousands of instructions
    /// a character, and every non-ASCII value an ignore-case condition reads is folded.
    /// Flat, so a lookup retains nothing: scalar v's fold is `latinFolds.bytes[ends[v - 1] ..< ends[v]]`.
    private static let latinFolds: (bytes: [UInt8], ends: [Int32]) = {
        var bytes: [UInt8] = []
        var ends: [Int32] = []
        for v in 0..<0x250 {
            bytes += fold(Unicode.Scalar(UInt32(v))!)
            ends.append(Int32(bytes.count))
        }
        return (bytes, ends)
    }()

    /// Maps text to a case-insensitive key: each scalar becomes lower(upper(scalar)), so every
    /// value that `forms` accepts has the same key as the pattern.
    static func foldKey(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { foldKey($0) }
    }

    static func foldKey(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return bytes.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
        }
        let (foldBytes, foldEnds) = latinFolds
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        // UTF-8 decoded by hand (String's decoding and scalar view cost more than the folding);
        // anything malformed goes through String, which repairs it as before.
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                out.append(b &- 0x41 < 26 ? b | 0x20 : b)
                i += 1
                continue
            }
            let n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            guard b >= 0xC2, b < 0xF5, i + n <= bytes.count else { return foldKeyThroughString(Array(bytes)) }
            var v = UInt32(b) & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07)
            for k in 1..<n {
                guard bytes[i + k] & 0xC0 == 0x80 else { return foldKeyThroughString(Array(bytes)) }
                v = v << 6 | UInt32(bytes[i + k] & 0x3F)
            }
            // Overlong forms and surrogates are malformed too.
            guard n == 2 || v >= (n == 3 ? 0x800 : 0x10000), let scalar = Unicode.Scalar(v) else {
                return foldKeyThroughString(Array(bytes))
            }
            if v < 0x250 {
                let start = v == 0 ? 0 : Int(foldEnds[Int(v) - 1])
                out.append(contentsOf: foldBytes[start..<Int(foldEnds[Int(v)])])
            } else if v > 0xFFFF {
                out.append(contentsOf: bytes[i..<i + n])
            } else {
                out.append(contentsOf: fold(scalar))
            }
            i += n
        }
        return out
    }

    static func foldKeyThroughString(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            if scalar.isASCII {
                let b = UInt8(scalar.value)
                out.append(b &- 0x41 < 26 ? b | 0x20 : b)
            } else if scalar.value > 0xFFFF {
                out.append(contentsOf: String(scalar).utf8)
            } else {
                out.append(contentsOf: fold(scalar))
            }
        }
        return out
    }
}
