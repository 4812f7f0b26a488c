import CStructuralSkip

/// The byte-level JSON lexer shared by the tree parser and the event flattener.
///
/// It works on an unsafe buffer so the flattener can scan an event without copying it, and it
/// validates everything it passes over, including subtrees the flattener skips: a malformed event
/// is always an error, never a silent partial match.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var pos: Int = 0
    let maxDepth: Int

    /// `maxDepth` is clamped to `JSONParser.maxSupportedDepth`: the scanner's callers recurse
    /// once per level, so a larger limit would let input overflow the stack.
    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = JSONParser.supportedDepth(maxDepth)
    }

    func fail(_ reason: String, at offset: Int? = nil) -> JSONError {
        JSONError.at(reason, offset: offset ?? pos, in: bytes)
    }

    var atEnd: Bool { pos >= bytes.count }

    @inline(__always)
    mutating func skipWhitespace() {
        if pos < bytes.count && bytes[pos] > 0x20 { return }
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    /// The next non-whitespace byte, without consuming it.
    @inline(__always)
    mutating func peek() throws(JSONError) -> UInt8 {
        skipWhitespace()
        guard pos < bytes.count else { throw fail("unexpected end of input") }
        return bytes[pos]
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: String) throws(JSONError) {
        let b = try peek()
        guard b == byte else { throw fail("expected \(what) but found \(describe(b))") }
        pos += 1
    }

    func describe(_ b: UInt8) -> String {
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    // MARK: literals and numbers

    @inline(__always)
    mutating func literal(_ word: StaticString) throws(JSONError) {
        let start = pos
        let count = word.utf8CodeUnitCount
        guard pos + count <= bytes.count else { throw fail("invalid literal", at: start) }
        let w = word.utf8Start
        for i in 0..<count where bytes[pos + i] != w[i] {
            throw fail("invalid literal", at: start)
        }
        pos += count
    }

    /// Scans a JSON number and returns its byte range.
    @inline(__always)
    mutating func number() throws(JSONError) -> Range<Int> {
        let start = pos
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        guard pos < bytes.count, isDigit(bytes[pos]) else { throw fail("invalid number", at: start) }
        if bytes[pos] == UInt8(ascii: "0") {
            pos += 1
            if pos < bytes.count && isDigit(bytes[pos]) { throw fail("leading zero in number", at: start) }
        } else {
            skipDigits()
        }
        if pos < bytes.count && bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            guard pos < bytes.count, isDigit(bytes[pos]) else { throw fail("invalid number", at: start) }
            skipDigits()
        }
        if pos < bytes.count && (bytes[pos] | 0x20) == UInt8(ascii: "e") {
            pos += 1
            if pos < bytes.count && (bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-")) { pos += 1 }
            guard pos < bytes.count, isDigit(bytes[pos]) else { throw fail("invalid number", at: start) }
            while pos < bytes.count && isDigit(bytes[pos]) { pos += 1 }
        }
        return start..<pos
    }

    @inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Advances over a run of ASCII digits, eight at a time where possible.
    @inline(__always)
    mutating func skipDigits() {
        let count = bytes.count
        let base = bytes.baseAddress!
        while pos + 8 <= count {
            let w = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self)
            // A byte is a digit when its high nibble is 3 and adding 6 keeps it so.
            let nonDigit = ((w & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030)
                | (((w &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030)
            if nonDigit != 0 {
                pos += nonDigit.trailingZeroBitCount >> 3
                return
            }
            pos += 8
        }
        while pos < count && isDigit(base[pos]) { pos += 1 }
    }

    // MARK: strings

    /// Scans a string starting at its opening quote. Returns the raw byte range between the
    /// quotes and whether it holds escapes (then `decodeString` gives the decoded bytes).
    /// UTF-8 is validated here so no caller can see malformed text.
    @inline(__always)
    mutating func string() throws(JSONError) -> (range: Range<Int>, escaped: Bool) {
        let quote = pos
        pos += 1
        let start = pos
        var escaped = false
        var sawHighBit = false
        let count = bytes.count
        let base = bytes.baseAddress!
        while true {
            // Eight bytes at a time while none is special (quote, backslash, control, non-ASCII).
            while pos + 8 <= count {
                let w = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self)
                let special = JSONScanner.specialBytes(w)
                if special != 0 {
                    pos += special.trailingZeroBitCount >> 3  // the first special byte is exact
                    break
                }
                pos += 8
            }
            guard pos < count else { break }
            let b = base[pos]
            if b == UInt8(ascii: "\"") {
                let range = start..<pos
                pos += 1
                if sawHighBit { try validateUTF8(range) }
                return (range, escaped)
            } else if b == UInt8(ascii: "\\") {
                escaped = true
                pos += 1
                guard pos < count else { break }
                switch base[pos] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    pos += 1
                case UInt8(ascii: "u"):
                    guard pos + 4 < count else { throw fail("invalid \\u escape", at: pos - 1) }
                    for i in 1...4 where hexValue(base[pos + i]) == nil {
                        throw fail("invalid \\u escape", at: pos - 1)
                    }
                    // Surrogates must pair, as decoding requires: a high one followed by an
                    // escaped low one.
                    let unit = hex4(pos + 1)
                    if unit >= 0xD800 && unit < 0xDC00 {
                        let next = pos + 5
                        guard next + 6 <= count, base[next] == UInt8(ascii: "\\"), base[next + 1] == UInt8(ascii: "u"),
                            (2...5).allSatisfy({ hexValue(base[next + $0]) != nil }),
                            (0xDC00..<0xE000).contains(hex4(next + 2))
                        else { throw fail("unpaired surrogate in \\u escape", at: pos - 1) }
                        pos = next + 6
                    } else if unit >= 0xDC00 && unit < 0xE000 {
                        throw fail("unpaired surrogate in \\u escape", at: pos - 1)
                    } else {
                        pos += 5
                    }
                default:
                    throw fail("invalid escape character in string", at: pos - 1)
                }
            } else if b < 0x20 {
                throw fail("unescaped control character in string")
            } else {
                if b >= 0x80 { sawHighBit = true }
                pos += 1
            }
        }
        throw fail("unterminated string", at: quote)
    }

    /// High bits flag the bytes of `w` (little-endian) that are a quote, a backslash, below 0x20
    /// or above 0x7F. The lowest flag is always exact; flags above it may be spurious.
    @inline(__always)
    static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let q = w ^ (ones &* 0x22)
        let bs = w ^ (ones &* 0x5C)
        let quote = (q &- ones) & ~q
        let backslash = (bs &- ones) & ~bs
        let control = w &- (ones &* 0x20)
        return (quote | backslash | control | w) & highs
    }

    func validateUTF8(_ range: Range<Int>) throws(JSONError) {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            var need = 0
            var minScalar: UInt32 = 0
            var scalar: UInt32 = 0
            if b & 0xE0 == 0xC0 { need = 1; scalar = UInt32(b & 0x1F); minScalar = 0x80 }
            else if b & 0xF0 == 0xE0 { need = 2; scalar = UInt32(b & 0x0F); minScalar = 0x800 }
            else if b & 0xF8 == 0xF0 { need = 3; scalar = UInt32(b & 0x07); minScalar = 0x10000 }
            else { throw fail("invalid UTF-8 in string", at: i) }
            guard i + need < end else { throw fail("invalid UTF-8 in string", at: i) }
            for k in 1...need {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { throw fail("invalid UTF-8 in string", at: i) }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minScalar || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF) {
                throw fail("invalid UTF-8 in string", at: i)
            }
            i += need + 1
        }
    }

    func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x41...0x46: return UInt32(b - 0x41 + 10)
        case 0x61...0x66: return UInt32(b - 0x61 + 10)
        default: return nil
        }
    }

    /// Decodes the escapes of a string range (already validated by `string()`), appending UTF-8.
    func decodeString(_ range: Range<Int>, into out: inout [UInt8]) throws(JSONError) {
        var i = range.lowerBound
        while i < range.upperBound {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var unit = hex4(i)
                i += 4
                if unit >= 0xD800 && unit < 0xDC00 {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard i + 6 <= range.upperBound,
                        bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u")
                    else { throw fail("unpaired surrogate in \\u escape", at: i - 6) }
                    let low = hex4(i + 2)
                    guard low >= 0xDC00 && low < 0xE000 else { throw fail("unpaired surrogate in \\u escape", at: i - 6) }
                    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if unit >= 0xDC00 && unit < 0xE000 {
                    throw fail("unpaired surrogate in \\u escape", at: i - 6)
                }
                appendUTF8(unit, to: &out)
            default: out.append(e)  // \" \\ \/
            }
        }
    }

    func hex4(_ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 { v = v << 4 | (hexValue(bytes[at + k]) ?? 0) }
        return v
    }

    // MARK: skipping

    /// Skips one value of any type, validating it.
    mutating func skipValue(depth: Int) throws(JSONError) {
        // The common case in C (SSE2 string scanning, no recursion); anything it does not accept
        // is validated again below, which decides and reports exactly as before.
        if let base = bytes.baseAddress {
            let end = ef_skip_valid_value(base, bytes.count, pos, depth, maxDepth)
            if end >= 0 {
                pos = end
                return
            }
        }
        try skipValueChecked(depth: depth)
    }

    /// The reference validation of one value (and the fallback of the fast path; tests compare
    /// the two).
    mutating func skipValueChecked(depth: Int) throws(JSONError) {
        let b = try peek()
        switch b {
        case UInt8(ascii: "{"):
            guard depth < maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
            pos += 1
            if try peek() == UInt8(ascii: "}") { pos += 1; return }
            while true {
                guard try peek() == UInt8(ascii: "\"") else { throw fail("expected a member name string but found \(describe(bytes[pos]))") }
                _ = try string()
                try expect(UInt8(ascii: ":"), "':'")
                try skipValueChecked(depth: depth + 1)
                let c = try peek()
                pos += 1
                if c == UInt8(ascii: "}") { return }
                guard c == UInt8(ascii: ",") else { throw fail("expected ',' or '}' but found \(describe(c))", at: pos - 1) }
            }
        case UInt8(ascii: "["):
            guard depth < maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
            pos += 1
            if try peek() == UInt8(ascii: "]") { pos += 1; return }
            while true {
                try skipValueChecked(depth: depth + 1)
                let c = try peek()
                pos += 1
                if c == UInt8(ascii: "]") { return }
                guard c == UInt8(ascii: ",") else { throw fail("expected ',' or ']' but found \(describe(c))", at: pos - 1) }
            }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    /// Skips one value looking only at its structure (strings and brackets), without checking
    /// numbers, literals or UTF-8 inside it. Used when the caller has chosen speed over
    /// validating parts of the event no rule reads.
    mutating func skipValueStructurally() throws(JSONError) {
        let first = try peek()
        let count = bytes.count
        switch ef_skip_value_structurally(bytes.baseAddress!, count, pos, maxDepth) {
        case -2:
            throw fail("nesting deeper than \(maxDepth) levels")
        case -1:
            if first == UInt8(ascii: "\"") { throw fail("unterminated string") }
            pos = count
            // A number or literal may run to the end; the caller reports what is missing.
            if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { throw fail("unexpected end of input") }
        case let end:
            pos = end
        }
    }

    /// After the top-level value: only whitespace may follow.
    mutating func expectEnd() throws(JSONError) {
        skipWhitespace()
        if pos < bytes.count { throw fail("unexpected \(describe(bytes[pos])) after the JSON value") }
    }
}

func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
    switch scalar {
    case ..<0x80: out.append(UInt8(scalar))
    case ..<0x800:
        out.append(UInt8(0xC0 | (scalar >> 6)))
        out.append(UInt8(0x80 | (scalar & 0x3F)))
    case ..<0x10000:
        out.append(UInt8(0xE0 | (scalar >> 12)))
        out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (scalar & 0x3F)))
    default:
        out.append(UInt8(0xF0 | (scalar >> 18)))
        out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (scalar & 0x3F)))
    }
}
