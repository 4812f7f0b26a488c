import EventPatterns

/// Which events the reference matcher can judge. It compares numbers as doubles, while the
/// engine compares a number by value only when its text is exactly the shortest form of a double
/// and otherwise by its text (README: `0.10000000000000001` and 30-digit integers match only
/// identical text). Events holding a number of the second kind are left out of the comparison:
/// at most 15 significant digits, finite, and not subnormal or underflowing, always qualify.
/// Its CIDR translation also knows only canonical dotted quads, while the engine parses an
/// octet with leading zeros (`10.1.06.3`) as an address, so such strings are left out too.
enum ReferenceDomain {
    static func contains(_ event: JSONValue) -> Bool {
        switch event {
        case .object(let members): return members.allSatisfy { contains($0.value) }
        case .array(let items): return items.allSatisfy(contains)
        case .number(let n): return comparesByValue(n.text)
        case .string(let s): return !isPaddedIPv4(s)
        case .bool, .null: return true
        }
    }

    static func comparesByValue(_ text: String) -> Bool {
        guard let value = Double(text), value.isFinite else { return false }
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }.filter(\.isNumber)
        let significant = mantissa.drop { $0 == "0" }.reversed().drop { $0 == "0" }
        if significant.isEmpty { return true }  // zero
        return significant.count <= 15 && value.magnitude >= Double.leastNormalMagnitude
    }

    /// Four dot-separated decimal octets, one of them with a leading zero.
    static func isPaddedIPv4(_ s: String) -> Bool {
        let octets = s.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
            && octets.contains { $0.count > 1 && $0.first == "0" }
    }
}
