/// A JSON number as the matcher sees it: its text, and its value when the value is exact.
///
/// EventBridge (event-ruler) compares numbers by value only when the decimal text is exactly the
/// shortest representation of the parsed double; any other number (`0.10000000000000001`,
/// 20-digit integers) is compared as literal text. Matching by value makes `300`, `300.0` and
/// `3e2` equal.
struct NumberValue: Hashable, Sendable {
    let text: String
    /// The value when the text denotes it exactly; nil otherwise.
    let double: Double?

    init(text: String) {
        self.text = text
        self.double = NumberValue.exactDouble(text)
    }

    static func exactDouble(_ text: String) -> Double? {
        guard let d = Double(text), d.isFinite else { return nil }
        guard let a = DecimalDigits(text), let b = DecimalDigits(d == 0 ? "0" : "\(d)") else { return nil }
        return a == b ? d : nil
    }
}

/// A decimal number reduced to sign, significant digits and exponent, for comparing texts by value.
struct DecimalDigits: Equatable {
    var negative: Bool
    var digits: [UInt8]
    var exponent: Int

    init?(_ text: String) {
        var negative = false
        var all: [UInt8] = []
        var integerDigits = 0
        var seenPoint = false
        var exponent = 0
        let bytes = Array(text.utf8)
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        while i < bytes.count {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                all.append(b)
                if !seenPoint { integerDigits += 1 }
            } else if b == UInt8(ascii: ".") {
                seenPoint = true
            } else if b | 0x20 == UInt8(ascii: "e") {
                guard let e = Int(String(decoding: bytes[(i + 1)...], as: UTF8.self)) else { return nil }
                exponent = e
                break
            } else {
                return nil
            }
            i += 1
        }
        // value = 0.<all> x 10^(integerDigits + exponent)
        var leading = 0
        while leading < all.count && all[leading] == 0x30 { leading += 1 }
        var trailing = all.count
        while trailing > leading && all[trailing - 1] == 0x30 { trailing -= 1 }
        self.digits = Array(all[leading..<trailing])
        if digits.isEmpty {
            self.negative = false
            self.exponent = 0
        } else {
            self.negative = negative
            self.exponent = integerDigits + exponent - leading
        }
    }
}
