#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a JSON number's text as the matcher needs it: its exact value, or nil when the text is
/// not exactly the shortest form of a double (then only its text can match).
///
/// Texts with at most 15 significant digits always qualify (15 decimal digits survive a round
/// trip through a double), and most of them convert exactly with one multiplication or division
/// by a power of ten. Texts of 16 or 17 digits are parsed with `strtod` and compared with the
/// shortest form Swift prints for the result; longer texts never qualify (a shortest form has at
/// most 17 digits).
enum EventNumber {
    static let powersOfTen: [Double] = (0...22).map { k in
        var p = 1.0
        for _ in 0..<k { p *= 10 }
        return p
    }

    static func exactValue(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let n = t.count
        var negative = false
        if i < n && t[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var scale = 0  // power of ten to apply to mantissa
        var seenPoint = false
        while i < n {
            let b = t[i]
            if b &- 0x30 < 10 {
                if significant > 0 || b != 0x30 {
                    significant += 1
                    if significant > 15 { return slowPath(t) }
                    mantissa = mantissa * 10 + UInt64(b - 0x30)
                }
                if seenPoint { scale -= 1 }
            } else if b == UInt8(ascii: ".") {
                seenPoint = true
            } else {
                break
            }
            i += 1
        }
        if i < n {  // exponent
            i += 1
            var expNegative = false
            if i < n && (t[i] == UInt8(ascii: "-") || t[i] == UInt8(ascii: "+")) {
                expNegative = t[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            while i < n {
                e = e * 10 + Int(t[i] - 0x30)
                if e > 100_000 { return slowPath(t) }
                i += 1
            }
            scale += expNegative ? -e : e
        }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        var value = Double(mantissa)  // exact: mantissa < 10^15 < 2^53
        if scale >= 0 && scale <= 22 {
            value *= powersOfTen[scale]  // one correctly rounded multiplication
        } else if scale < 0 && scale >= -22 {
            value /= powersOfTen[-scale]  // one correctly rounded division
        } else {
            return slowPath(t)
        }
        return negative ? -value : value
    }

    /// Parses with `strtod` (no allocation for short texts) and keeps the value only when the
    /// text has the same decimal value as the shortest form of the parsed double.
    static func slowPath(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        guard t.count < 64, let key = DecimalKey(t) else { return nil }
        let d: Double = withUnsafeTemporaryAllocation(of: CChar.self, capacity: t.count + 1) { buffer in
            for i in 0..<t.count { buffer[i] = CChar(bitPattern: t[i]) }
            buffer[t.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
        guard d.isFinite else { return nil }
        var shortest = d.description
        let same = shortest.withUTF8 { DecimalKey($0) == key }
        return same ? d : nil
    }
}

/// A decimal number as (sign, significant digits, exponent), for comparing two texts by value
/// without allocating. Nil beyond 19 significant digits.
struct DecimalKey: Equatable {
    var negative: Bool
    var mantissa: UInt64
    var exponent: Int

    init?(_ t: UnsafeBufferPointer<UInt8>) {
        var i = 0
        var negative = false
        if i < t.count && (t[i] == UInt8(ascii: "-") || t[i] == UInt8(ascii: "+")) {
            negative = t[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var seenPoint = false
        var pendingZeros = 0  // zeros after the last non-zero digit, not yet multiplied in
        while i < t.count {
            let b = t[i]
            if b &- 0x30 < 10 {
                if b == 0x30 {
                    if digits > 0 { pendingZeros += 1 }
                } else {
                    digits += pendingZeros + 1
                    if digits > 19 { return nil }
                    for _ in 0..<pendingZeros { mantissa = mantissa &* 10 }
                    pendingZeros = 0
                    mantissa = mantissa &* 10 &+ UInt64(b - 0x30)
                }
                if seenPoint { exponent -= 1 }
            } else if b == UInt8(ascii: ".") {
                seenPoint = true
            } else if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                i += 1
                var expNegative = false
                if i < t.count && (t[i] == UInt8(ascii: "-") || t[i] == UInt8(ascii: "+")) {
                    expNegative = t[i] == UInt8(ascii: "-")
                    i += 1
                }
                var e = 0
                while i < t.count, t[i] &- 0x30 < 10 {
                    e = min(e * 10 + Int(t[i] - 0x30), 1_000_000)
                    i += 1
                }
                exponent += expNegative ? -e : e
                break
            } else {
                return nil
            }
            i += 1
        }
        exponent += pendingZeros
        if mantissa == 0 {
            negative = false
            exponent = 0
        }
        self.negative = negative
        self.mantissa = mantissa
        self.exponent = exponent
    }
}
