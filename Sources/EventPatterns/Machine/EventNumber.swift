import CStructuralSkip

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
/// by a power of ten. Longer texts qualify when the shortest form Swift prints for their value
/// is the text itself; the value is first estimated cheaply and only parsed with `strtod` when
/// the estimate does not confirm. More than 19 digits never qualify (a shortest form has at most
/// 17).
enum EventNumber {
    static let powersOfTen: [Double] = (0...22).map { k in
        var p = 1.0
        for _ in 0..<k { p *= 10 }
        return p
    }

    static func exactValue(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        plainValue(t) ?? fullValue(t)
    }

    /// `exactValue` for any text, through its decimal key.
    static func fullValue(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let key = DecimalKey(t) else { return nil }  // more than 19 significant digits
        if key.mantissa == 0 { return key.negative ? -0.0 : 0.0 }
        if key.digits > 17 { return nil }  // a shortest form never has more than 17 digits
        guard let magnitude = nearestDouble(key.mantissa, key.exponent) else { return slowPath(t, key) }
        let value = key.negative ? -magnitude : magnitude
        if key.digits <= 15 { return value }  // 15 digits always survive a round trip
        // 16 or 17 digits: the text is the shortest form unless a decimal with one digit less
        // reaches the same double; only the two neighbours of the text need checking.
        let down = key.mantissa / 10
        for shorter in [down, down + 1] {
            guard let other = nearestDouble(shorter, key.exponent + 1) else { return slowPath(t, key) }
            if other == magnitude { return nil }
        }
        return value
    }

    /// The common case in one pass (`ef_plain_number`, which the member scanner also uses):
    /// short plain numbers. Nil for any other text.
    @inline(__always)
    static func plainValue(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        let value = ef_plain_number(t.baseAddress, 0, t.count)
        return value.isNaN ? nil : value
    }

    /// The double nearest to m × 10^e, computed without `strtod` when that can be done exactly;
    /// nil when it cannot (the caller then takes the slow path).
    @inline(__always)
    static func nearestDouble(_ m: UInt64, _ e: Int) -> Double? {
        guard e >= -22 && e <= 22 else { return nil }
        if m < 1 << 53 {
            // Clinger's fast path: exact operands, one correctly rounded operation.
            return e >= 0 ? Double(m) * powersOfTen[e] : Double(m) / powersOfTen[-e]
        }
        #if arch(x86_64)
            // 64-bit significands hold m and 10^|e| exactly; the one rounding to 64 bits can
            // only spoil the rounding to 53 when it lands exactly halfway, which is detected.
            let p = Float80(powersOfTen[abs(e)])
            let wide = e >= 0 ? Float80(m) * p : Float80(m) / p
            if wide.significandBitPattern & 0x7FF == 0x400 { return nil }
            return Double(wide)
        #else
            return nil
        #endif
    }

    /// Whether `key` is exactly the shortest decimal form of `d` (as Swift prints it).
    static func isShortestForm(_ d: Double, _ key: DecimalKey, text t: UnsafeBufferPointer<UInt8>) -> Bool {
        var text = d.description
        return text.withUTF8 { printed in
            // The same text is the usual case.
            if printed.count == t.count && memcmp(printed.baseAddress!, t.baseAddress!, t.count) == 0 { return true }
            return DecimalKey(printed) == key
        }
    }

    /// Parses with `strtod` (no allocation) and keeps the value only when the text is the
    /// shortest form of the parsed double.
    static func slowPath(_ t: UnsafeBufferPointer<UInt8>, _ key: DecimalKey) -> Double? {
        guard t.count < 128 else { return nil }
        let d: Double = withUnsafeTemporaryAllocation(of: CChar.self, capacity: t.count + 1) { buffer in
            for i in 0..<t.count { buffer[i] = CChar(bitPattern: t[i]) }
            buffer[t.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
        guard d.isFinite else { return nil }
        return isShortestForm(d, key, text: t) ? d : nil
    }
}

/// A decimal number as (sign, significant digits, exponent), for comparing two texts by value
/// without allocating. Nil beyond 19 significant digits.
struct DecimalKey: Equatable {
    var negative: Bool
    var mantissa: UInt64
    var exponent: Int
    /// Significant digits in `mantissa` (not compared: equal values have equal digits).
    var digits: Int

    static func == (a: DecimalKey, b: DecimalKey) -> Bool {
        a.negative == b.negative && a.mantissa == b.mantissa && a.exponent == b.exponent
    }

    /// Reads number text in JSON syntax (as the scanner validated it; Swift's own output for
    /// doubles also fits): `-? digits (. digits)? ([eE] [+-]? digits)?`.
    init?(_ t: UnsafeBufferPointer<UInt8>) {
        let n = t.count
        guard n > 0, let base = t.baseAddress else { return nil }
        var i = 0
        let negative = base[0] == UInt8(ascii: "-")
        if negative || base[0] == UInt8(ascii: "+") { i = 1 }
        // Integer digits, then fraction digits; leading zeros skipped, trailing zeros counted.
        var mantissa: UInt64 = 0
        var digits = 0
        var zeros = 0
        var fractionDigits = 0
        /// Reads a run of digits; false when there are too many significant ones.
        func readDigits(countingFraction: Bool) -> Bool {
            while i < n {
                let d = base[i] &- 0x30
                if d >= 10 { break }
                if countingFraction { fractionDigits &+= 1 }
                if d == 0 {
                    zeros &+= digits > 0 ? 1 : 0
                } else {
                    digits &+= zeros &+ 1
                    if digits > 19 { return false }
                    while zeros > 0 {
                        mantissa &*= 10
                        zeros &-= 1
                    }
                    mantissa = mantissa &* 10 &+ UInt64(d)
                }
                i &+= 1
            }
            return true
        }
        guard readDigits(countingFraction: false) else { return nil }
        if i < n && base[i] == UInt8(ascii: ".") {
            i &+= 1
            guard readDigits(countingFraction: true) else { return nil }
        }
        var exponent = 0
        if i < n {  // exponent part
            i += 1
            var expNegative = false
            if i < n && (base[i] == UInt8(ascii: "-") || base[i] == UInt8(ascii: "+")) {
                expNegative = base[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            while i < n {
                let d = base[i] &- 0x30
                guard d < 10 else { return nil }
                if e < 1_000_000 { e = e &* 10 &+ Int(d) }
                i += 1
            }
            exponent = expNegative ? -e : e
        }
        // value = mantissa × 10^(exponent + trailing zeros − fraction digits)
        exponent += zeros - fractionDigits
        self.digits = digits
        if mantissa == 0 {
            self.negative = false
            self.mantissa = 0
            self.exponent = 0
        } else {
            self.negative = negative
            self.mantissa = mantissa
            self.exponent = exponent
        }
    }
}
