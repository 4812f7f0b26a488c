/// Textual IPv4 / IPv6 addresses, parsed to bytes so every spelling of one address compares equal
/// (`2001:DB8::1` = `2001:db8:0:0:0:0:0:1`).
enum IPAddress {
    /// 4 bytes for IPv4, 16 for IPv6; nil when the text is not an address.
    static func parse<C: Collection<UInt8>>(_ text: C) -> [UInt8]? where C.Index == Int {
        if text.contains(UInt8(ascii: ":")) { return parseV6(Array(text)) }
        return parseV4(Array(text))
    }

    static func parseV4(_ t: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var value = 0
        var digits = 0
        for b in t {
            if b >= 0x30 && b <= 0x39 {
                value = value * 10 + Int(b - 0x30)
                digits += 1
                if digits > 3 || value > 255 { return nil }
            } else if b == UInt8(ascii: ".") {
                guard digits > 0 else { return nil }
                out.append(UInt8(value))
                value = 0
                digits = 0
            } else {
                return nil
            }
        }
        guard digits > 0 else { return nil }
        out.append(UInt8(value))
        return out.count == 4 ? out : nil
    }

    static func parseV6(_ t: [UInt8]) -> [UInt8]? {
        let text = String(decoding: t, as: UTF8.self)
        var halves: [String] = []
        if let gap = text.firstRange(of: "::") {
            halves = [String(text[..<gap.lowerBound]), String(text[gap.upperBound...])]
            guard !halves[1].contains("::") else { return nil }
        } else {
            halves = [text]
        }
        func groups(_ part: String, allowV4: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            var out: [UInt16] = []
            for (k, piece) in pieces.enumerated() {
                if allowV4 && k == pieces.count - 1 && piece.contains(".") {
                    guard let v4 = parseV4(Array(piece.utf8)) else { return nil }
                    out.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    out.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                } else {
                    guard (1...4).contains(piece.utf8.count), piece.utf8.allSatisfy({ IPAddress.isHex($0) }),
                        let v = UInt16(piece, radix: 16)
                    else { return nil }
                    out.append(v)
                }
            }
            return out
        }
        var result: [UInt16]
        if halves.count == 2 {
            guard let left = groups(halves[0], allowV4: false), let right = groups(halves[1], allowV4: true),
                left.count + right.count <= 7
            else { return nil }
            result = left + Array(repeating: 0, count: 8 - left.count - right.count) + right
        } else {
            guard let all = groups(halves[0], allowV4: true), all.count == 8 else { return nil }
            result = all
        }
        return result.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    static func isHex(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x46).contains(b) || (0x61...0x66).contains(b)
    }
}

/// A `cidr` operand.
struct CIDRBlock: Hashable, Sendable {
    let source: String
    let network: [UInt8]
    let bits: Int

    static func parse(_ s: String) -> Result<CIDRBlock, OperandError> {
        let pieces = s.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2 else { return .failure(OperandError("Malformed CIDR, one '/' required")) }
        guard let bits = Int(pieces[1]), pieces[1].allSatisfy(\.isASCII), bits >= 0 else {
            return .failure(OperandError("Malformed CIDR, mask bits must be an integer"))
        }
        guard let address = IPAddress.parse(Array(pieces[0].utf8)) else {
            return .failure(OperandError("Nonstandard IP address: \(pieces[0])"))
        }
        guard bits <= address.count * 8 else { return .failure(OperandError("Malformed CIDR, mask bits must be an integer")) }
        var network = address
        for i in 0..<network.count {
            let keep = max(0, min(8, bits - i * 8))
            network[i] &= keep == 0 ? 0 : ~UInt8(0) << (8 - keep)
        }
        return .success(CIDRBlock(source: s, network: network, bits: bits))
    }

    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == network.count else { return false }
        var remaining = bits
        var i = 0
        while remaining > 0 {
            let keep = min(8, remaining)
            let mask: UInt8 = ~UInt8(0) << (8 - keep)
            if address[i] & mask != network[i] { return false }
            remaining -= keep
            i += 1
        }
        return true
    }
}
